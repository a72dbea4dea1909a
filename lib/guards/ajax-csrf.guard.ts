import { type CanActivate, type ExecutionContext, ForbiddenException, HttpStatus, Inject, Injectable, Optional } from '@nestjs/common';
import type { AjaxRequest } from '../ajax-request.interface.js';
import { AJAX_OPTIONS } from '../ajax.constants.js';
import { statusErrorBody } from '../filters/error-body.js';
import { requireAjaxOptions, type ResolvedAjaxOptions } from '../options/resolve-ajax-options.js';
import { crossOriginRefusal } from '../csrf/cross-origin-refusal.js';
import { answerWithoutRequest, httpRequestOf, NO_REQUEST_FIX } from './outside-http.js';
import { refusal } from './refusals.js';

/**
 * Refuses cross-site unsafe requests (POST, PUT, PATCH, DELETE…), the CSRF
 * risk of endpoints authenticated by a session cookie:
 * `403 { "status": "error", "error": "Forbidden", "message": <why> }`.
 *
 * Browsers say where a request comes from (`Sec-Fetch-Site`, else `Origin`);
 * a request from another site is refused unless its origin is in
 * `csrf.trustedOrigins`. Same-origin pages and non-browser clients (which send
 * neither header) pass. `csrf.strict` also requires a custom header
 * (`X-Requested-With` by default) on every unsafe request; `csrf: false`
 * turns the check off. `@Ajax()` applies this guard first, and `AjaxAuthGuard`
 * makes the same check. The decision is that of Nest 12.1's
 * `app.enableCsrfProtection()`; when the app has that on too, this guard
 * still checks its routes with its own settings, so Nest's `exclude` or
 * `trustedOrigins` never open them. In a context that is not HTTP (a
 * microservice, a WebSocket gateway) it has no request to check unless
 * `getRequest()` gives one, and refuses every call while `csrf` is on.
 *
 * @example
 * @Post('transfer')
 * @UseGuards(AjaxCsrfGuard)
 * transfer() { … }
 */
@Injectable()
export class AjaxCsrfGuard implements CanActivate {
  protected readonly options: ResolvedAjaxOptions;

  constructor(@Optional() @Inject(AJAX_OPTIONS) options?: ResolvedAjaxOptions) {
    this.options = requireAjaxOptions(options, 'AjaxCsrfGuard');
  }

  canActivate(context: ExecutionContext): boolean {
    const request = this.getRequest(context);
    if (!request) return answerWithoutRequest(this.constructor as typeof AjaxCsrfGuard, context, this.options.csrf !== undefined, NO_REQUEST_FIX);
    refuseCrossSite(request, this.options);
    return true;
  }

  /**
   * The request to check; override for a wrapped request. By default the
   * HTTP request, and none in another context (a microservice, a WebSocket
   * gateway), where the guard then refuses.
   */
  protected getRequest(context: ExecutionContext): AjaxRequest | undefined {
    return httpRequestOf<AjaxRequest>(context);
  }
}

/**
 * Throws the 403 when the request must be refused as cross-site; shared by
 * `AjaxCsrfGuard` and `AjaxAuthGuard`.
 * @internal
 */
export function refuseCrossSite(request: AjaxRequest, options: ResolvedAjaxOptions): void {
  if (!options.csrf) return;
  const reason = crossOriginRefusal(request, options.csrf);
  if (reason !== undefined) {
    throw refusal(() => new ForbiddenException(statusErrorBody(options.errorFormat, HttpStatus.FORBIDDEN, request, reason)));
  }
}
