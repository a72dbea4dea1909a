import { type CallHandler, type ExecutionContext, Inject, Injectable, Logger, type NestInterceptor, Optional } from '@nestjs/common';
import { REDIRECT_METADATA, RENDER_METADATA, SSE_METADATA } from '@nestjs/common/constants.js';
import { map, type Observable } from 'rxjs';
import type { AjaxRequest, AjaxResponseLike } from '../ajax-request.interface.js';
import { AJAX_OPTIONS } from '../ajax.constants.js';
import { isPlainObject } from '../is-plain-object.js';
import type { JsonMessage } from '../messages/ajax-message.interface.js';
import { isNullBodyStatus, responseHasBody, takeJsonMessages } from '../messages/deliver-messages.js';
import { requireAjaxOptions, type ResolvedAjaxOptions } from '../options/resolve-ajax-options.js';
import { AjaxResponse } from '../responses/ajax-response.js';

/** Marks a request whose messages an outer instance of the interceptor already handles. */
const HANDLED = Symbol('nestjs-ajax:messages-interceptor');

type MarkedRequest = AjaxRequest & { [HANDLED]?: true };

/**
 * Handlers whose returned object Nest does not send as JSON: a redirect's
 * `{ url }`, a template's locals, server-sent events. Messages added to them
 * would be consumed and never shown.
 */
const NOT_JSON_METADATA = [REDIRECT_METADATA, RENDER_METADATA, SSE_METADATA];

/**
 * Adds every pending message (those carried in the session from earlier
 * requests, then this request's) to the handler's JSON body under `messages`,
 * as `[{ "message", "tags" }]`, and consumes them; with none, the body gets no
 * `messages` key. It also renders `AjaxResponse` (its `success` flag and status).
 *
 * Only a plain object can carry messages, and it is copied, never mutated (it
 * may be shared). Any other body (array, string, Buffer, stream, nothing,
 * `@Res()`), a body that already has a `messages` key, a response without a
 * body (HEAD, 204, 304), and the result of a `@Redirect()`, `@Render()` or
 * `@Sse()` handler leave the messages pending for a later response.
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
  protected readonly logger = new Logger(AjaxMessagesInterceptor.name);
  protected readonly options: ResolvedAjaxOptions;
  private messagesKeyReported = false;
  /** Per handler, whether Nest sends what it returns as JSON; decided once, on its first request. */
  private readonly sendsJson = new WeakMap<object, boolean>();

  constructor(@Optional() @Inject(AJAX_OPTIONS) options?: ResolvedAjaxOptions) {
    this.options = requireAjaxOptions(options, 'AjaxMessagesInterceptor');
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http' || !this.handlerSendsJson(context.getHandler())) return next.handle();
    const request = this.getRequest(context) as MarkedRequest;
    // Applied both globally and by @Ajax(), it runs twice: only the outer run adds messages.
    if (request[HANDLED]) return next.handle();
    request[HANDLED] = true;
    const response = context.switchToHttp().getResponse<AjaxResponseLike>();
    return next.handle().pipe(map((body: unknown) => this.render(body, request, response)));
  }

  /** The request whose messages are delivered; override for a wrapped request. */
  protected getRequest(context: ExecutionContext): AjaxRequest {
    return context.switchToHttp().getRequest<AjaxRequest>();
  }

  /** Whether this body can take a `messages` key: a plain object that has none yet. */
  protected canCarryMessages(body: unknown): body is Record<string, unknown> {
    if (!isPlainObject(body)) return false;
    if (!Object.hasOwn(body, 'messages')) return true;
    if (!this.messagesKeyReported) {
      this.messagesKeyReported = true;
      this.logger.warn('A response body already has a "messages" key, so pending messages were left for a later response.');
    }
    return false;
  }

  private handlerSendsJson(handler: object): boolean {
    let sendsJson = this.sendsJson.get(handler);
    if (sendsJson === undefined) {
      sendsJson = NOT_JSON_METADATA.every((key) => Reflect.getMetadata(key, handler) === undefined);
      this.sendsJson.set(handler, sendsJson);
    }
    return sendsJson;
  }

  private render(body: unknown, request: AjaxRequest, response: AjaxResponseLike): unknown {
    const ajaxResponse = body instanceof AjaxResponse ? body : undefined;
    const data: unknown = ajaxResponse ? ajaxResponse.toJSON() : body;
    const status = ajaxResponse?.status ?? response.statusCode;
    if (!this.canCarryMessages(data) || !responseHasBody(request.method, status)) {
      return ajaxResponse ? withStatus(data, ajaxResponse.status) : body;
    }
    const messages = takeJsonMessages(request, this.options.messages.storage);
    return withStatus(withMessages(data, messages), ajaxResponse?.status);
  }
}

function withMessages(data: Record<string, unknown>, messages: readonly JsonMessage[]): Record<string, unknown> {
  return messages.length === 0 ? data : { ...data, messages };
}

/**
 * A body with its own status. Nest sets the route's status when it writes the
 * reply, so a status set on the response beforehand would be overwritten; a
 * web `Response` is the one result whose status Nest keeps.
 */
function withStatus(body: unknown, status: number | undefined): unknown {
  if (status === undefined) return body;
  return new Response(isNullBodyStatus(status) ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
}
