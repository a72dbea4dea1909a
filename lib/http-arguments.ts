import type { ArgumentsHost } from '@nestjs/common';
import type { AjaxRequest } from './ajax-request.interface.js';

/*
 * The request and response of an HTTP call, read from the arguments Nest
 * hands a guard, a parameter decorator, an interceptor or a filter: what
 * `switchToHttp().getRequest()` and `getResponse()` give, without calling
 * `switchToHttp()`. Nest's `switchToHttp()` copies three new functions onto
 * the context with `Object.assign()` at every call, which gives each
 * request's context a shape of its own; it ran about 600 instructions per
 * call on Fastify (bench/RESULTS.md, "Instructions per request").
 */

/** The HTTP request: the call's first argument. @internal */
export function httpRequest<T = AjaxRequest>(host: ArgumentsHost): T {
  return host.getArgByIndex<T>(0);
}

/** The HTTP response: the call's second argument. @internal */
export function httpResponse<T = object>(host: ArgumentsHost): T {
  return host.getArgByIndex<T>(1);
}
