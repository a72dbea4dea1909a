import { METHOD_METADATA } from '@nestjs/common/constants.js';
import type { Type } from '@nestjs/common';

/** A controller method, as decorators see it. @internal */
export type RouteHandler = (...args: unknown[]) => unknown;

/**
 * The methods of a controller's prototype chain that Nest routes to (those a
 * route decorator such as `@Get()` marked), each once, a subclass's own first.
 * @internal
 */
export function* routeHandlers(prototype: object): Generator<RouteHandler> {
  const seen = new Set<string>();
  for (let proto = prototype; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name === 'constructor' || seen.has(name)) continue;
      seen.add(name);
      const value = Object.getOwnPropertyDescriptor(proto, name)?.value as unknown;
      if (typeof value === 'function' && Reflect.getMetadata(METHOD_METADATA, value) !== undefined) yield value as RouteHandler;
    }
  }
}

/** What `valuePerRouteHandler()` reads of Nest's container: each module's controllers. */
export interface ModulesLike {
  values(): Iterable<{ controllers: Map<unknown, { metatype?: unknown }> }>;
}

/**
 * One value for each controller method of the app that Nest routes to, read
 * for every controller that routes to it, and merged where several do (a
 * base class's method): what the module tags each method with, before Nest
 * registers the routes, for its 405 and 401 answers to a path asked with the
 * wrong method (`HttpPlatform.tagRoute()`).
 * @internal
 */
export function valuePerRouteHandler<T>(
  modules: ModulesLike,
  read: (controller: Type, handler: RouteHandler) => T,
  merge: (known: T, next: T) => T,
): Map<RouteHandler, T> {
  const values = new Map<RouteHandler, T>();
  for (const module of modules.values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | undefined;
      if (typeof controller !== 'function') continue;
      for (const handler of routeHandlers(controller.prototype as object)) {
        const value = read(controller, handler);
        values.set(handler, values.has(handler) ? merge(values.get(handler) as T, value) : value);
      }
    }
  }
  return values;
}
