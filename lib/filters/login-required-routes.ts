import type { Type } from '@nestjs/common';
import { GUARDS_METADATA } from '@nestjs/common/constants.js';
import { APP_GUARD, type ModulesContainer, Reflector } from '@nestjs/core';
import { ALLOW_ANONYMOUS_KEY, LOGIN_REQUIRED_ROUTE_KEY } from '../ajax.constants.js';
import type { GlobalEnhancersLike } from '../context/injects-messages-service.js';
import { AjaxAuthGuard } from '../guards/ajax-auth.guard.js';
import type { HttpPlatform } from '../platform/http-platform.interface.js';
import { type RouteHandler, valuePerRouteHandler } from '../route-handlers.js';

/**
 * Tags every controller method whose routes let only signed-in visitors
 * through, as the module's own checks decide it: `@Ajax({ loginRequired: true })`
 * or an `AjaxAuthGuard` (on the handler, its controller, as an `APP_GUARD`
 * or given to `app.useGlobalGuards()`), not opted out with
 * `@AllowAnonymous()`. The exception filter reads the tag when a known path
 * is asked with another method: an anonymous visitor then gets the 401 the
 * route itself would give, not a 405 whose `Allow` tells which
 * signed-in-only endpoints exist (django-ajaxutils checks the log-in first
 * too).
 *
 * Runs before Nest registers the routes, so that the platform's tag (see
 * `HttpPlatform.tagRoute()`) goes with each route; Nest reads the
 * app's global guards at that moment too. A method that several controllers
 * share (a base class's) carries one tag for all their routes: it is tagged
 * when it requires a log-in in any of them, so that no path that requires
 * one tells its methods; an anonymous visitor who asks the open
 * controller's path with a wrong method then gets 401 rather than 405.
 * @internal
 */
export function tagLoginRequiredRoutes(modules: ModulesContainer, platform: HttpPlatform, globals?: GlobalEnhancersLike): void {
  const reflector = new Reflector();
  const globalGuard = hasGlobalAuthGuard(modules, globals);
  const tags = valuePerRouteHandler(modules, (controller, handler) => requiresLogin(reflector, controller, handler, globalGuard), (a, b) => a || b);
  for (const [handler, required] of tags) platform.tagRoute(handler, LOGIN_REQUIRED_ROUTE_KEY, required || undefined);
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

function hasGlobalAuthGuard(modules: ModulesContainer, globals: GlobalEnhancersLike | undefined): boolean {
  if (globals?.getGlobalGuards?.().some((guard) => guard instanceof AjaxAuthGuard)) return true;
  for (const module of modules.values()) {
    for (const [token, wrapper] of module.providers) {
      if (typeof token === 'string' && token.startsWith(APP_GUARD) && wrapper.instance instanceof AjaxAuthGuard) return true;
    }
  }
  return false;
}
