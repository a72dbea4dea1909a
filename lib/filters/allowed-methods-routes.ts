import { Reflector } from '@nestjs/core';
import { ALLOWED_METHODS_KEY, ALLOWED_METHODS_ROUTE_KEY } from '../ajax.constants.js';
import type { AllowedMethods } from '../decorators/allow-methods.decorator.js';
import type { HttpPlatform } from '../platform/http-platform.interface.js';
import { type ModulesLike, valuePerRouteHandler } from '../route-handlers.js';

/**
 * Tells the platform, for every controller method of the app, the methods
 * its routes accept (`@Ajax({ methods })`, `requirePost`, `@AllowMethods()`,
 * on it or its controller), before Nest registers them, so that the `Allow`
 * of a 405 for a method no route has lists only those: Fastify registers an
 * `@All()` route for its own list of methods, of which such a route accepts
 * fewer. A method its controllers restrict differently (a base class's) is
 * left to the methods its routes are registered for.
 * @internal
 */
export function tagAllowedMethodRoutes(modules: ModulesLike, platform: HttpPlatform): void {
  const reflector = new Reflector();
  const allowedOf = valuePerRouteHandler(
    modules,
    (controller, handler) => reflector.getAllAndOverride<AllowedMethods | undefined>(ALLOWED_METHODS_KEY, [handler, controller])?.methods,
    (a, b) => (sameMethods(a, b) ? a : undefined),
  );
  for (const [handler, allowed] of allowedOf) platform.tagRoute(handler, ALLOWED_METHODS_ROUTE_KEY, allowed);
}

function sameMethods(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.length === b.length && a.every((method) => b.includes(method)));
}
