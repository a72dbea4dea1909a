import type { Type } from '@nestjs/common';
import { GUARDS_METADATA } from '@nestjs/common/constants.js';
import { APP_GUARD, type ModulesContainer, Reflector } from '@nestjs/core';
import { ALLOW_ANONYMOUS_KEY } from '../ajax.constants.js';
import { AjaxAuthGuard } from '../guards/ajax-auth.guard.js';
import type { HttpPlatform } from '../platform/http-platform.interface.js';
import { type RouteHandler, routeHandlers } from '../route-handlers.js';

/**
 * Tags every controller method whose routes let only signed-in visitors
 * through, as the module's own checks decide it: `@Ajax({ loginRequired: true })`
 * or an `AjaxAuthGuard` (on the handler, its controller, or as an `APP_GUARD`),
 * not opted out with `@AllowAnonymous()`. The exception filter reads the tag
 * when a known path is asked with another method: an anonymous visitor then
 * gets the 401 the route itself would give, not a 405 whose `Allow` tells
 * which signed-in-only endpoints exist (django-ajaxutils checks the log-in
 * first too).
 *
 * Runs before Nest registers the routes, so that the platform's tag (see
 * `HttpPlatform.markLoginRequired()`) goes with each route. A method that
 * several controllers share is tagged only when it requires a log-in in all.
 * @internal
 */
export function tagLoginRequiredRoutes(modules: ModulesContainer, platform: HttpPlatform): void {
  const reflector = new Reflector();
  const globalGuard = hasGlobalAuthGuard(modules);
  const tags = new Map<RouteHandler, boolean>();
  for (const module of modules.values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | undefined;
      if (typeof controller !== 'function') continue;
      for (const handler of routeHandlers(controller.prototype as object)) {
        const required = requiresLogin(reflector, controller, handler, globalGuard);
        tags.set(handler, (tags.get(handler) ?? true) && required);
      }
    }
  }
  for (const [handler, required] of tags) platform.markLoginRequired(handler, required);
}

function requiresLogin(reflector: Reflector, controller: Type, handler: RouteHandler, globalGuard: boolean): boolean {
  // false: @Ajax({ loginRequired: true }); true: @AllowAnonymous(). A handler's setting beats its controller's.
  const anonymous = reflector.getAllAndOverride<boolean | undefined>(ALLOW_ANONYMOUS_KEY, [handler, controller]);
  if (anonymous !== undefined) return anonymous === false;
  return globalGuard || usesAuthGuard(handler) || usesAuthGuard(controller);
}

function usesAuthGuard(target: object): boolean {
  const guards = (Reflect.getMetadata(GUARDS_METADATA, target) ?? []) as unknown[];
  return guards.some((guard) => guard instanceof AjaxAuthGuard || (typeof guard === 'function' && (guard === AjaxAuthGuard || guard.prototype instanceof AjaxAuthGuard)));
}

function hasGlobalAuthGuard(modules: ModulesContainer): boolean {
  for (const module of modules.values()) {
    for (const [token, wrapper] of module.providers) {
      if (typeof token === 'string' && token.startsWith(APP_GUARD) && wrapper.instance instanceof AjaxAuthGuard) return true;
    }
  }
  return false;
}
