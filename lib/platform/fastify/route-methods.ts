import { NotFoundException } from '@nestjs/common';
import { ALLOWED_METHODS_ROUTE_KEY, LOGIN_REQUIRED_ROUTE_KEY } from '../../ajax.constants.js';
import { NO_ROUTES, type PathRoutes } from '../http-platform.interface.js';
import { PathIndex } from '../path-index.js';
import { answersHost, ROUTE_HOSTS_KEY, type RouteHosts } from '../route-hosts.js';
import type { FastifyInstanceLike, FastifyRequestLike } from './fastify-reply.js';
import { routeConfigOf } from './route-config.js';

/** One route as Fastify registered it, in the order it did. */
interface KnownRoute {
  readonly url: string;
  readonly loginRequired: boolean;
  /** The hosts it answers (`@Controller({ host })`); `undefined`: every host. */
  readonly hosts: RouteHosts | undefined;
  /** The methods it accepts (`@Ajax({ methods })`); `undefined`: those it is registered for. */
  readonly allowed: readonly string[] | undefined;
  readonly order: number;
}

/** Fastify's route options, as its `onRoute` hook gives them. */
interface RouteOptions {
  method: string | string[];
  url: string;
  config?: Record<string, unknown>;
}

/** The routes of an app by method, kept on its root instance (an encapsulated instance sees them through its prototype). */
const ROUTES = Symbol('nestjs-ajax:routes');

type Instance = FastifyInstanceLike & { [ROUTES]?: Map<string, PathIndex<KnownRoute>> };

/** Records every route Fastify registers from now on: before Nest registers its own. @internal */
export function recordRoutes(instance: Instance): void {
  const routes = (instance[ROUTES] = new Map<string, PathIndex<KnownRoute>>());
  const getUrls = new Set<string>();
  let order = 0;
  instance.addHook('onRoute', ((route: RouteOptions) => {
    const config = routeConfigOf(route);
    const loginRequired = config[LOGIN_REQUIRED_ROUTE_KEY] === true;
    const hosts = config[ROUTE_HOSTS_KEY] as RouteHosts | undefined;
    const allowed = config[ALLOWED_METHODS_ROUTE_KEY] as readonly string[] | undefined;
    for (const given of Array.isArray(route.method) ? route.method : [route.method]) {
      const method = given.toUpperCase();
      // The HEAD route Fastify adds for a GET route: HEAD is listed after the others, as on Express.
      if (method === 'HEAD' && getUrls.has(route.url)) continue;
      if (method === 'GET') getUrls.add(route.url);
      let index = routes.get(method);
      if (!index) routes.set(method, (index = new PathIndex()));
      index.add(route.url, { url: route.url, loginRequired, hosts, allowed, order: order++ });
    }
  }) as (...args: never[]) => unknown);
}

/**
 * Whether this is Nest's answer to a request no route matched: the
 * NotFoundException of Fastify's not-found handler, which marks the request.
 * @internal
 */
export function isFastifyRouteMiss(exception: unknown, req: FastifyRequestLike): boolean {
  return exception instanceof NotFoundException && req.is404 === true;
}

/**
 * The methods the app's routes serve this request's path with, asked of
 * Fastify's own router (`findRoute`), so its options (trailing slashes, case,
 * constraints) count as they do for routing. Fastify will not say this
 * itself (fastify/fastify#917). The order is the routes' registration order,
 * HEAD after them where GET is, as on Express.
 *
 * Whether they all require a log-in is read from the route matched for each
 * method, found again by its URL with the matched parameters put back; when
 * that cannot be told, the path counts as requiring one: an anonymous
 * visitor then gets a 401 that reveals nothing, never a 405 that would.
 * @internal
 */
export function fastifyRoutesServingPath(req: FastifyRequestLike): PathRoutes {
  const server = req.server as Instance;
  const routes = server[ROUTES];
  const url = req.raw.url ?? req.url;
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  // The path as sent and as the router reads it: what a route's URL, its parameters filled in, may be.
  const spellings = [path, decoded(path)];
  const served: Array<{ method: string; order: number }> = [];
  let loginRequired = true;
  for (const method of server.supportedMethods) {
    const found = server.findRoute({ method, url: path });
    if (!found) continue;
    const params = found.params ?? {};
    // The method's routes that may be the one found: spelt as sent, as the router reads it, and loosely.
    const ofMethod = routes?.get(method)?.near(path, loose(path), loose(spellings[1])) ?? [];
    let matches = ofMethod.filter((route) => samePath(route.url, params, spellings, false));
    // A router that ignores letter case or a trailing slash matched a spelling of the route's own URL.
    if (matches.length === 0) matches = ofMethod.filter((route) => samePath(route.url, params, spellings, true));
    // Only routes of other hosts serve the method here: Nest answers this host 404, and so must the 405 path.
    // Where none of the method's routes is matched back to the path, one of another host may be what the router found.
    if (matches.length === 0 && ofMethod.some((route) => route.hosts !== undefined)) continue;
    if (matches.some((route) => route.hosts !== undefined)) {
      matches = matches.filter((route) => answersHost(route.hosts, req.hostname));
      if (matches.length === 0) continue;
    }
    // Routes that accept fewer methods than they are registered for (an @All() route with @Ajax({ methods })).
    if (matches.length > 0 && matches.every((route) => route.allowed !== undefined && !route.allowed.includes(method))) continue;
    if (method === 'HEAD' && matches.length === 0) continue; // Fastify's own HEAD of a GET route: added below, as on Express
    served.push({ method, order: matches.length > 0 ? Math.min(...matches.map((route) => route.order)) : Infinity });
    if (matches.length > 0 && !matches.every((route) => route.loginRequired)) loginRequired = false;
  }
  if (served.length === 0) return NO_ROUTES;
  const methods = served.sort((a, b) => a.order - b.order).map((entry) => entry.method);
  if (methods.includes('GET') && !methods.includes('HEAD')) methods.push('HEAD');
  return { methods, loginRequired };
}

/**
 * Whether a route's URL, its parameters filled in, is one spelling of the
 * path (as sent, or decoded as the router reads it); `loosely`, whatever the
 * letter case and extra slashes, as Fastify's `caseSensitive: false`,
 * `ignoreTrailingSlash` and `ignoreDuplicateSlashes` route.
 */
function samePath(routeUrl: string, params: Record<string, string | undefined>, spellings: readonly string[], loosely: boolean): boolean {
  const same = (a: string, b: string): boolean => (loosely ? loose(a) === loose(b) : a === b);
  const filled = routeUrl.replace(/::|:(\w+)(\((?:\\.|[^)])*\))?|\*/g, (token, name: string | undefined) => {
    if (token === '::') return ':';
    if (token === '*') return params['*'] ?? '';
    return params[name!] ?? token;
  });
  return spellings.some((path) => same(filled, path));
}

/** The path as the router reads it; as sent when it cannot be decoded. */
function decoded(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function loose(path: string): string {
  return path.toLowerCase().replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1');
}
