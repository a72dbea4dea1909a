import { METHOD_METADATA } from '@nestjs/common/constants.js';

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
