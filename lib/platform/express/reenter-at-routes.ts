import type { AbstractHttpAdapter } from '@nestjs/core';
import { REQUEST_METHOD_MAP } from '@nestjs/core/helpers/router-method-factory.js';
import type { AjaxRequest } from '../../ajax-request.interface.js';
import { type FollowsRequests, reenterRequest } from '../enter-request.js';

type Handler = (req: AjaxRequest, res: unknown, next: unknown) => unknown;
type RouteMethod = (...args: unknown[]) => unknown;

/** The adapter methods Nest registers its routes with: the names its own router method factory looks up. */
const ROUTE_METHODS: readonly string[] = Object.values(REQUEST_METHOD_MAP);

/**
 * Has every route Nest registers from now on enter its request again (in an
 * app that follows its requests), should
 * the Nest middleware before it have lost it (one that goes on from a
 * connection's callback), so that guards and handlers always run as their own
 * request and never as one a callback carried over. Nest registers its
 * middleware after the module is set up and before its routes, so only the
 * routes come after all of them.
 *
 * The function Express calls keeps the handler's own properties and metadata
 * (Nest's and the module's log-in tag), which the adapter and the 405 lookup
 * read from it.
 * @internal
 */
export function reenterAtRoutes(adapter: AbstractHttpAdapter, follows: FollowsRequests): void {
  const methods = adapter as unknown as Record<string, RouteMethod | undefined>;
  for (const name of ROUTE_METHODS) {
    const register = methods[name];
    if (typeof register !== 'function') continue;
    methods[name] = function registerReentering(this: unknown, ...args: unknown[]): unknown {
      const last = args.length - 1;
      if (typeof args[last] === 'function') args[last] = reentering(args[last] as Handler, follows);
      return register.apply(this, args);
    };
  }
}

function reentering(handler: Handler, follows: FollowsRequests): Handler {
  const route: Handler = function reenterAjaxRoute(this: unknown, req, res, next) {
    if (!follows()) return handler.call(this, req, res, next);
    let result: unknown;
    reenterRequest(req, () => {
      result = handler.call(this, req, res, next);
    });
    return result;
  };
  Object.assign(route, handler);
  for (const key of Reflect.getOwnMetadataKeys(handler)) Reflect.defineMetadata(key, Reflect.getOwnMetadata(key, handler), route);
  Object.defineProperty(route, 'name', { configurable: true, value: handler.name });
  return route;
}
