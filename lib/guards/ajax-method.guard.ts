import { type CanActivate, type ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AjaxRequest } from '../ajax-request.interface.js';
import { AJAX_OPTIONS, ALLOWED_METHODS_KEY } from '../ajax.constants.js';
import type { AllowedMethods } from '../decorators/allow-methods.decorator.js';
import type { ResolvedAjaxOptions } from '../options/resolve-ajax-options.js';
import { answerWithoutRequest, httpRequestOf, httpResponseOf, NO_REQUEST_FIX } from './outside-http.js';
import { throwMethodNotAllowed } from './refusals.js';

/**
 * Enforces `@RequirePost()`, `@RequireGet()` and `@AllowMethods()` (a
 * handler's setting wins over its controller's; none set, every method
 * passes). A request with another method gets
 * `405 { "status": "error", "error": "Method not allowed" }` and an `Allow`
 * header that lists the accepted methods (RFC 9110 §15.5.6), where Nest alone
 * would answer 404. HEAD passes wherever GET does.
 *
 * The route must be registered for the methods it refuses (e.g. `@All()`),
 * or Nest's router answers before any guard runs. In a context that is not
 * HTTP (a microservice, a WebSocket gateway) it has no request to check
 * unless `getRequest()` gives one, and refuses every call to a handler
 * restricted to some methods.
 *
 * @example
 * @All('vote')
 * @UseGuards(AjaxMethodGuard)
 * @RequirePost()
 * vote() { … }
 */
@Injectable()
export class AjaxMethodGuard implements CanActivate {
  constructor(
    protected readonly reflector: Reflector,
    // Optional, as the guard has always worked without AjaxModule: then its body is the module's default one.
    @Optional() @Inject(AJAX_OPTIONS) protected readonly options?: ResolvedAjaxOptions,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const allowed = this.reflector.getAllAndOverride<AllowedMethods | undefined>(ALLOWED_METHODS_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!allowed) return true;
    const request = this.getRequest(context);
    if (!request) return answerWithoutRequest(this.constructor as typeof AjaxMethodGuard, context, true, NO_REQUEST_FIX);
    if (allowed.methods.includes(request.method)) return true;
    this.throwMethodNotAllowed(allowed, context);
  }

  /**
   * The request to check; override for a non-HTTP transport or a wrapped
   * request. By default the HTTP request, and none in another context, where
   * a handler restricted to some methods is then refused.
   */
  protected getRequest(context: ExecutionContext): AjaxRequest | undefined {
    return httpRequestOf<AjaxRequest>(context);
  }

  /**
   * Sets `Allow` and throws the 405. The header is set here, and the exception
   * carries the module's body, so the answer is the same whichever exception
   * filter renders it.
   */
  protected throwMethodNotAllowed(allowed: AllowedMethods, context: ExecutionContext): never {
    // Another transport (a getRequest() of its own) has no HTTP response to give the header to.
    throwMethodNotAllowed(httpRequestOf(context), httpResponseOf(context), allowed, this.options?.errorFormat);
  }
}
