import { HttpStatus, MethodNotAllowedException, UnauthorizedException } from '@nestjs/common';
import type { AllowedMethods } from '../decorators/allow-methods.decorator.js';
import { statusErrorBody } from '../filters/error-body.js';
import type { AjaxErrorFormat } from '../options/ajax-module-options.interface.js';
import { platformOf } from '../platform/platform-of.js';

/**
 * Builds an exception without capturing a stack trace. A refusal (401, 403,
 * 405) is an expected answer, not a bug: nobody reads its stack, and capturing
 * one through Nest's async frames costs about 7% of the throughput of a route
 * that answers it (bench/RESULTS.md).
 * @internal
 */
export function refusal<T extends Error>(create: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return create();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/**
 * The guards' 401: `WWW-Authenticate` set on the response, and an exception
 * that carries the module's body itself (in the app's error format), so the
 * answer is the same even where Nest's own filter renders it. Without an
 * HTTP request and response (another transport, given its request by a
 * guard's `getRequest()`), the exception alone.
 * @internal
 */
export function throwUnauthorized(request: object | undefined, response: object | undefined, wwwAuthenticate: string, format: AjaxErrorFormat = 'ajax'): never {
  if (response) platformOf(response).setHeader(response, 'WWW-Authenticate', wwwAuthenticate);
  throw refusal(() => new UnauthorizedException(statusErrorBody(format, HttpStatus.UNAUTHORIZED, request)));
}

/**
 * The guards' 405: `Allow` set on the response, and the module's body in the
 * exception, for the same reason; the exception alone without them.
 * @internal
 */
export function throwMethodNotAllowed(request: object | undefined, response: object | undefined, allowed: AllowedMethods, format: AjaxErrorFormat = 'ajax'): never {
  if (response) platformOf(response).setHeader(response, 'Allow', allowed.allowHeader);
  throw refusal(() => new MethodNotAllowedException(statusErrorBody(format, HttpStatus.METHOD_NOT_ALLOWED, request)));
}
