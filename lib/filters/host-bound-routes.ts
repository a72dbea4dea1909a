import type { Type } from '@nestjs/common';
import { HOST_METADATA } from '@nestjs/common/constants.js';
import type { ModulesContainer } from '@nestjs/core';
import type { HttpPlatform } from '../platform/http-platform.interface.js';
import type { RouteHosts } from '../platform/route-hosts.js';
import { type RouteHandler, routeHandlers } from '../route-handlers.js';

/**
 * Tells the platform, for every controller method of the app, the hosts its
 * routes answer (`@Controller({ host })`), before Nest registers them, so that
 * a wrong method on another host's path is the 404 Nest gives that host, not a
 * 405 whose `Allow` shows the route. A method that a controller without a
 * host also serves (a base class's) answers every host.
 * @internal
 */
export function tagHostBoundRoutes(modules: ModulesContainer, platform: HttpPlatform): void {
  const hostsOf = new Map<RouteHandler, RouteHosts | undefined>();
  for (const module of modules.values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | undefined;
      if (typeof controller !== 'function') continue;
      const host = Reflect.getMetadata(HOST_METADATA, controller) as string | RegExp | Array<string | RegExp> | undefined;
      const hosts = host === undefined ? undefined : Array.isArray(host) ? host : [host];
      for (const handler of routeHandlers(controller.prototype as object)) {
        const known = hostsOf.has(handler) ? hostsOf.get(handler) : [];
        hostsOf.set(handler, known === undefined || hosts === undefined ? undefined : [...known, ...hosts]);
      }
    }
  }
  for (const [handler, hosts] of hostsOf) platform.markHosts(handler, hosts);
}
