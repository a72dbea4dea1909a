import { NotFoundException } from '@nestjs/common';

/** The parts of Express 5's router the lookup reads. */
interface RouteLayer {
  route?: { methods: Record<string, boolean | undefined> };
  match?(path: string): unknown;
}

/** The request, as Express 5 gives it, with its app. */
interface RoutedRequest {
  method: string;
  originalUrl?: string;
  url?: string;
  app?: { router?: { stack?: RouteLayer[] } };
}

/**
 * Whether this is Nest's own answer to a request no route matched: the
 * NotFoundException its router throws, `Cannot <METHOD> <url>`.
 * @internal
 */
export function isRouteMiss(exception: unknown, req: RoutedRequest): boolean {
  if (!(exception instanceof NotFoundException)) return false;
  const response = exception.getResponse() as { message?: unknown };
  return response?.message === `Cannot ${req.method} ${req.originalUrl ?? req.url}`;
}

/**
 * The methods the app's routes serve this request's path with, in the order
 * they were registered, HEAD added wherever GET is: what a 405's `Allow` header
 * lists. Empty when no route has the path (a real 404), or when the router is
 * not Express 5's.
 *
 * Only routes registered on the app itself are seen, which is where Nest puts
 * every controller route.
 * @internal
 */
export function methodsServingPath(req: RoutedRequest): string[] {
  const stack = req.app?.router?.stack;
  // The whole path: Nest answers a miss under a global prefix from a router mounted there, where req.path is cut.
  const path = (req.originalUrl ?? req.url)?.split('?')[0];
  if (!Array.isArray(stack) || path === undefined) return [];
  const methods = new Set<string>();
  for (const layer of stack) {
    if (!layer.route || typeof layer.match !== 'function' || !layer.match(path)) continue;
    for (const [method, handled] of Object.entries(layer.route.methods)) {
      if (handled && method !== '_all') methods.add(method.toUpperCase());
    }
  }
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods];
}
