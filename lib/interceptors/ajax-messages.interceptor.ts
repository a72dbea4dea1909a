import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor, Optional } from '@nestjs/common';
import type { Observable } from 'rxjs';
import type { AjaxRequest } from '../ajax-request.interface.js';
import { AJAX_OPTIONS } from '../ajax.constants.js';
import { handlerRespondsItself } from '../guards/handler-responds-itself.js';
import { httpRequest, httpResponse } from '../http-arguments.js';
import { requireAjaxOptions, type ResolvedAjaxOptions } from '../options/resolve-ajax-options.js';
import { platformOf } from '../platform/platform-of.js';

/**
 * Adds every pending message (those carried in the session from earlier
 * requests, then this request's) to the handler's JSON body under `messages`,
 * as `[{ "message", "tags" }]`, and consumes them; with none, the body gets no
 * `messages` key. It also renders `AjaxResponse` (its `success` flag and status).
 *
 * Only a plain object can carry messages, and it is copied, never mutated (it
 * may be shared). Any other body (array, string, Buffer, stream, nothing,
 * `@Res()`), a body that already has a `messages` key, a response without a
 * body (HEAD, 204, 304), and what a `@Redirect()`, `@Render()` or `@Sse()`
 * handler returns leave the messages pending for a later response.
 *
 * The messages are added when the body is written as JSON, not in the
 * observable chain, so what other interceptors see is the handler's own value.
 * `@Ajax()` gets the same behaviour from its guard, without the cost of an
 * interceptor; apply this one where `@Ajax()` is not used.
 *
 * @example
 * @UseInterceptors(AjaxMessagesInterceptor)
 * @Get('profile')
 * profile(@Messages() messages: RequestMessages) {
 *   messages.info('Profile loaded.');
 *   return { name: 'Ada' }; // → { "name": "Ada", "messages": [{ "message": "Profile loaded.", "tags": "info" }] }
 * }
 */
@Injectable()
export class AjaxMessagesInterceptor implements NestInterceptor {
  protected readonly options: ResolvedAjaxOptions;

  constructor(@Optional() @Inject(AJAX_OPTIONS) options?: ResolvedAjaxOptions) {
    this.options = requireAjaxOptions(options, 'AjaxMessagesInterceptor');
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http' && !handlerRespondsItself(context.getClass(), context.getHandler())) {
      const response = httpResponse(context);
      platformOf(response).deliverMessagesWithJson(this.getRequest(context), response, this.options);
    }
    return next.handle();
  }

  /** The request whose messages are delivered; override for a wrapped request. */
  protected getRequest(context: ExecutionContext): AjaxRequest {
    return httpRequest(context);
  }
}
