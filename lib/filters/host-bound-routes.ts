import { HOST_METADATA } from '@nestjs/common/constants.js';
import type { ModulesContainer } from '@nestjs/core';
import type { HttpPlatform } from '../platform/http-platform.interface.js';
import { ROUTE_HOSTS_KEY, type RouteHosts } from '../platform/route-hosts.js';
import { valuePerRouteHandler } from '../route-handlers.js';

/**
 * Tells the platform, for every controller method of the app, the hosts its
 * routes answer (`@Controller({ host })`), before Nest registers them, so that
 * a wrong method on another host's path is the 404 Nest gives that host, not a
 * 405 whose `Allow` shows the route. The tag is the method's, and Nest copies
 * it onto each of its routes: a method several controllers serve (a base
 * class's) gets the hosts all of them answer, and a route of one of them
 * answering more is then a 404 for a wrong method there too, never a route of
 * another host shown.
 * @internal
 */
export function tagHostBoundRoutes(modules: ModulesContainer, platform: HttpPlatform): void {
  for (const [handler, hosts] of valuePerRouteHandler(modules, hostsOf, common)) platform.tagRoute(handler, ROUTE_HOSTS_KEY, hosts);
}

/** The hosts a controller's routes answer, as Nest reads them: no host (or an empty one) is every host. */
function hostsOf(controller: object): RouteHosts | undefined {
  const host = Reflect.getMetadata(HOST_METADATA, controller) as string | RegExp | Array<string | RegExp> | undefined;
  return !host ? undefined : Array.isArray(host) ? host : [host];
}

/** The hosts two sets of hosts both answer, `undefined` being every host: a pattern is kept only where both give it. */
function common(a: RouteHosts | undefined, b: RouteHosts | undefined): RouteHosts | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a.filter((host) => b.some((other) => String(other) === String(host)));
}
