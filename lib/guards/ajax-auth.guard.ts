import { type CanActivate, type ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AjaxRequest } from '../ajax-request.interface.js';
import { AJAX_OPTIONS, ALLOW_ANONYMOUS_KEY } from '../ajax.constants.js';
import { requireAjaxOptions, type ResolvedAjaxOptions } from '../options/resolve-ajax-options.js';
import { refuseCrossSite } from './ajax-csrf.guard.js';
import { answerWithoutRequest, httpRequestOf, httpResponseOf, NO_REQUEST_FIX } from './outside-http.js';
import { throwUnauthorized } from './refusals.js';
import { isSignedIn } from './signed-in.js';

/**
 * Lets only signed-in visitors through; anyone else gets
 * `401 { "status": "error", "error": "Unauthorized" }` with a
 * `WWW-Authenticate` header (the `wwwAuthenticate` option), never a redirect
 * to a login page (django-ajaxutils' `login_required`). `@AllowAnonymous()`
 * opts a handler or controller out. Who is signed in is decided by the
 * `isAuthenticated` option, and only its `true` (awaited, if it is a promise
 * or any thenable) lets a visitor through. As a session cookie makes its routes a CSRF
 * target, it first refuses cross-site unsafe requests, as `AjaxCsrfGuard` does.
 *
 * Override `getRequest()` to read another request object, or
 * `throwUnauthorized()` to answer differently. In a context that is not
 * HTTP (a microservice, a WebSocket gateway) it has no request to check
 * unless `getRequest()` gives one, and refuses every call there but those of
 * `@AllowAnonymous()` handlers with `csrf: false`.
 *
 * @example
 * @UseGuards(AjaxAuthGuard)
 * @Get('me')
 * me(@Req() req: Request) { return { user: req.user }; }
 */
@Injectable()
export class AjaxAuthGuard implements CanActivate {
  protected readonly options: ResolvedAjaxOptions;

  constructor(
    protected readonly reflector: Reflector,
    @Optional() @Inject(AJAX_OPTIONS) options?: ResolvedAjaxOptions,
  ) {
    this.options = requireAjaxOptions(options, 'AjaxAuthGuard');
  }

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const request = this.getRequest(context);
    if (!request) {
      const hasChecks = this.options.csrf !== undefined || !this.isAnonymousAllowed(context);
      return answerWithoutRequest(this.constructor as typeof AjaxAuthGuard, context, hasChecks, NO_REQUEST_FIX);
    }
    // Before the anonymous shortcut: an open route of a signed-in site still rides on its session cookie.
    refuseCrossSite(request, this.options);
    if (this.isAnonymousAllowed(context)) return true;
    const signedIn = isSignedIn(this.options, request);
    return signedIn instanceof Promise ? signedIn.then((yes) => this.allowOrThrow(yes, context)) : this.allowOrThrow(signedIn, context);
  }

  /**
   * The request to check; override for a non-HTTP transport or a wrapped
   * request. By default the HTTP request, and none in another context (a
   * microservice, a WebSocket gateway), where the guard then refuses.
   */
  protected getRequest(context: ExecutionContext): AjaxRequest | undefined {
    return httpRequestOf<AjaxRequest>(context);
  }

  /** Whether `@AllowAnonymous()` applies; a handler's setting wins over its controller's. */
  protected isAnonymousAllowed(context: ExecutionContext): boolean {
    return this.reflector.getAllAndOverride<boolean>(ALLOW_ANONYMOUS_KEY, [context.getHandler(), context.getClass()]) === true;
  }

  /**
   * Called for an anonymous visitor. The header is set and the exception
   * carries the module's body itself, so the answer is the same even where
   * Nest's own filter renders it.
   */
  protected throwUnauthorized(context: ExecutionContext): never {
    // Another transport (a getRequest() of its own) has no HTTP response to give the header to.
    throwUnauthorized(httpRequestOf(context), httpResponseOf(context), this.options.wwwAuthenticate, this.options.errorFormat);
  }

  private allowOrThrow(authenticated: boolean, context: ExecutionContext): true {
    if (!authenticated) this.throwUnauthorized(context);
    return true;
  }
}
