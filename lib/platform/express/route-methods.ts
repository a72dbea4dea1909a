import { NotFoundException } from '@nestjs/common';
import { METHODS } from 'node:http';
import { LOGIN_REQUIRED_ROUTE_KEY } from '../../ajax.constants.js';
import { NO_ROUTES, type PathRoutes } from '../http-platform.interface.js';
import { PathIndex } from '../path-index.js';
import { answersHost, ROUTE_HOSTS_KEY, type RouteHosts } from '../route-hosts.js';

/** The parts of Express 5's router the lookup reads. */
interface RouteLayer {
  route?: { path?: unknown; methods: Record<string, boolean | undefined>; stack?: Array<{ handle?: object }> };
  match?(path: string): unknown;
}

/** The request, as Express 5 gives it, with its app. */
interface RoutedRequest {
  method: string;
  /** The host the request names, without its port (as Nest matches `@Controller({ host })` against it). */
  hostname?: string;
  originalUrl?: string;
  url?: string;
  app?: { router?: { stack?: RouteLayer[] } };
}

/**
 * Whether this is Nest's own answer to a request no route matched: the
 * NotFoundException its router throws, `Cannot <METHOD> <url>`.
 * @internal
 */
export function isExpressRouteMiss(exception: unknown, req: RoutedRequest): boolean {
  if (!(exception instanceof NotFoundException)) return false;
  const response = exception.getResponse() as { message?: unknown };
  return response?.message === `Cannot ${req.method} ${req.originalUrl ?? req.url}`;
}

/**
 * The routes of the app that serve this request's path, with any method, in
 * the order they were registered. Empty when no route has the path (a real
 * 404), or when the router is not Express 5's.
 *
 * Only routes registered on the app itself are seen, which is where Nest puts
 * every controller route; only those an index of their paths puts near this
 * one are matched (`PathIndex`).
 * @internal
 */
export function expressRoutesServingPath(req: RoutedRequest): PathRoutes {
  const stack = req.app?.router?.stack;
  // The whole path: Nest answers a miss under a global prefix from a router mounted there, where req.path is cut.
  const path = (req.originalUrl ?? req.url)?.split('?')[0];
  if (!Array.isArray(stack) || path === undefined) return NO_ROUTES;
  const methods = new Set<string>();
  let loginRequired = true;
  for (const layer of indexOf(stack).near(path)) {
    if (!layer.route || typeof layer.match !== 'function' || !layer.match(path)) continue;
    // A route for every method (`app.all()`, as Nest mounts its not-found handler on paths excluded
    // from the global prefix) never leaves a method missing: it says nothing of what the path has.
    if (servesEveryMethod(layer.route.methods)) continue;
    // A route of other hosts (Nest's handler checks the host, and answers this one 404): no method of it is here.
    if (!answersThisHost(layer.route.stack, req.hostname)) continue;
    let serves = false;
    for (const [method, handled] of Object.entries(layer.route.methods)) {
      if (handled && method !== '_all') {
        methods.add(method.toUpperCase());
        serves = true;
      }
    }
    // Nest copies a handler's metadata onto the function Express calls, the tag included.
    if (serves && !layer.route.stack?.every((entry) => entry.handle && Reflect.getMetadata(LOGIN_REQUIRED_ROUTE_KEY, entry.handle) === true)) {
      loginRequired = false;
    }
  }
  if (methods.size === 0) return NO_ROUTES;
  if (methods.has('GET')) methods.add('HEAD');
  return { methods: [...methods], loginRequired };
}

/** The route index of a router's stack, made again when routes were added since (Express allows it at any time). */
const indexes = new WeakMap<readonly RouteLayer[], { size: number; last: RouteLayer | undefined; index: PathIndex<RouteLayer> }>();

function indexOf(stack: readonly RouteLayer[]): PathIndex<RouteLayer> {
  let known = indexes.get(stack);
  const last = stack[stack.length - 1];
  if (!known || known.size !== stack.length || known.last !== last) {
    const index = new PathIndex<RouteLayer>();
    for (const layer of stack) if (layer.route) index.add(layer.route.path, layer);
    indexes.set(stack, (known = { size: stack.length, last, index }));
  }
  return known.index;
}

/** Whether a route answers this host: some handler of it is of every host, or of this one (`ROUTE_HOSTS_KEY`). */
function answersThisHost(stack: Array<{ handle?: object }> | undefined, hostname: string | undefined): boolean {
  if (!stack || stack.length === 0) return true;
  return stack.some((entry) => !entry.handle || answersHost(Reflect.getMetadata(ROUTE_HOSTS_KEY, entry.handle) as RouteHosts | undefined, hostname));
}

function servesEveryMethod(methods: Record<string, boolean | undefined>): boolean {
  return methods._all === true || METHODS.every((method) => methods[method.toLowerCase()]);
}
