// How the module's tags reach a controller method's Fastify routes: through the route config Nest hands Fastify,
// which the module's `onRoute` hook reads back (`routeConfigOf()`).

/**
 * Nest's key for a handler's Fastify route config (`@RouteConfig()`), which
 * Nest hands to Fastify as the route's `config`: how the module's tags reach
 * the routes, as Nest wraps the handler of a route with parameters and the
 * wrapper has none of its metadata.
 * @internal
 */
export const FASTIFY_ROUTE_CONFIG_METADATA = '__fastify_route_config__';

/**
 * Sets one of the module's tags in a controller method's Fastify route
 * config (`HttpPlatform.tagRoute()`), or takes it off: another app of the
 * process may have set it. @internal
 */
export function tagFastifyRoute(handler: object, key: string, value: unknown): void {
  const config = Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler) as Record<string, unknown> | undefined;
  if (value !== undefined) {
    Reflect.defineMetadata(FASTIFY_ROUTE_CONFIG_METADATA, { ...config, [key]: value }, handler);
  } else if (config && key in config) {
    const { [key]: _tag, ...rest } = config;
    Reflect.defineMetadata(FASTIFY_ROUTE_CONFIG_METADATA, rest, handler);
  }
}

/** The route config of the handler the adapter's `all()` is registering (`tagRoutesOfAll()`); none outside such a call. */
let allRouteConfig: Record<string, unknown> | undefined = undefined;

/**
 * Nest 11's `FastifyAdapter.all()` (`@All()`) registers its route without
 * the handler's route config, where the module's tags travel (the log-in,
 * the hosts): `onRoute` would take the route for an open one of every host,
 * and a method Fastify does not serve there (`PROPFIND`) would answer an
 * anonymous visitor 405 with `Allow`. The adapter's `all()` is wrapped to
 * read the config itself, for the route Fastify records in the same call (its
 * `onRoute` hooks run as it registers one; see `routeConfigOf()`). Nest 12
 * passes the config, and reads the same.
 * @internal
 */
export function tagRoutesOfAll(adapter: { all(...args: unknown[]): unknown }): void {
  const all = adapter.all;
  adapter.all = function allWithRouteConfig(this: unknown, ...args: unknown[]): unknown {
    const handler = args[args.length - 1];
    const outer = allRouteConfig;
    allRouteConfig = typeof handler === 'function' ? (Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler) as Record<string, unknown> | undefined) : undefined;
    try {
      return all.apply(this, args);
    } finally {
      allRouteConfig = outer;
    }
  };
}

/** A route's config as Fastify's `onRoute` hook gives it, or, for Nest 11's `all()`, its handler's (`tagRoutesOfAll()`). @internal */
export function routeConfigOf(route: { config?: Record<string, unknown> }): Record<string, unknown> {
  return { ...allRouteConfig, ...route.config };
}
