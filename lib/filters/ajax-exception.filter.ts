import { type ArgumentsHost, Catch, type ExceptionFilter, HttpStatus, Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { inspect } from 'node:util';
import type { AjaxRequest } from '../ajax-request.interface.js';
import { AJAX_OPTIONS } from '../ajax.constants.js';
import { describeValue } from '../ajax.errors.js';
import { isSignedIn } from '../guards/signed-in.js';
import { httpRequest, httpResponse } from '../http-arguments.js';
import { isThenable, whenReady } from '../maybe-promise.js';
import type { JsonMessage } from '../messages/ajax-message.interface.js';
import { responseHasBody, takeJsonMessages } from '../messages/deliver-messages.js';
import { isObjectText } from '../messages/json-text.js';
import { fromAnotherSite } from '../csrf/from-another-site.js';
import { refusedAsCrossSite } from '../csrf/refused-as-cross-site.js';
import { wantsMessagesInHeader } from '../messages/htmx/htmx-request.js';
import { putMessagesInHeader } from '../messages/htmx/messages-in-header.js';
import type { MaybePromise } from '../messages/message-storage.interface.js';
import { MessagesUnavailableException } from '../messages/messages-unavailable.exception.js';
import { isOwnWriteFailure } from '../messages/pending-writes.js';
import { makePrivate } from '../messages/private-response.js';
import type { AjaxErrorInfo } from '../options/ajax-module-options.interface.js';
import { requireAjaxOptions, type ResolvedAjaxOptions } from '../options/resolve-ajax-options.js';
import { describeException, type ExceptionDescription } from './describe-exception.js';
import { moduleErrorBody } from './error-body.js';
import { errorBodyType } from './error-body-type.js';
import { withoutQueryString } from './problem-details.js';
import { reasonPhrase } from './reason-phrase.js';
import type { HttpPlatform } from '../platform/http-platform.interface.js';
import { platformOf } from '../platform/platform-of.js';
import { addStatusHeaders } from './status-headers.js';

/**
 * The platform's response (Express's `Response`, Fastify's `FastifyReply`),
 * which the filter reaches only through its platform (`HttpPlatform`).
 */
type JsonResponse = object;

/**
 * Turns every failure into a JSON error body, so an AJAX client never has to
 * parse an HTML error page:
 *
 * `{ "status": "error", "error": "Not found", "message"?: …, "messages"?: [...] }`
 *
 * - `error` is the status's reason phrase in sentence case;
 * - `message` is the exception's own message (string, or string[] as
 *   ValidationPipe gives) when it says more than `error`;
 * - `messages` are the pending flash messages, delivered and consumed.
 *
 * HttpExceptions keep their status, errors with a 4xx `status`/`statusCode`
 * (body-parser style) keep theirs; anything else is a 500 whose body says
 * nothing about it, logged with its stack. `errorFormat: 'problem+json'`
 * answers RFC 9457 problem details instead (`application/problem+json`).
 * The `errorBody` option replaces the body's shape; when what it gives cannot
 * be sent as a JSON object, the module's body is sent instead. Every 401 gets
 * its `WWW-Authenticate`, every 405 its `Allow`; a body that carries messages
 * is private to its visitor.
 * Override `buildBody()`, `logUnexpected()` or `send()` to change one step.
 *
 * @example
 * // Everywhere, including unknown routes and body-parser failures:
 * AjaxModule.forRoot({ applyToEveryRoute: true })
 * // or per controller:
 * @UseFilters(AjaxExceptionFilter)
 */
@Catch()
@Injectable()
export class AjaxExceptionFilter implements ExceptionFilter {
  protected readonly logger = new Logger(AjaxExceptionFilter.name);
  protected readonly options: ResolvedAjaxOptions;
  /** The kinds of unusable `errorBody` results already logged: each is logged once, not once a request. */
  private readonly errorBodyFailures = new Set<string>();

  constructor(@Optional() @Inject(AJAX_OPTIONS) options?: ResolvedAjaxOptions) {
    this.options = requireAjaxOptions(options, 'AjaxExceptionFilter');
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    // Only HTTP has a JSON body to write; other transports keep their own handling.
    if (host.getType() !== 'http') throw exception;
    const request = httpRequest(host);
    const response = httpResponse<JsonResponse>(host);
    const platform = platformOf(response);
    // The error body is written here, with the messages taken here: not a second time by the hook.
    platform.releaseJsonHook(request, response);
    const described = describeException(exception);
    const owner = platform.messagesRequestOf(request);
    // A failed write of the request's own, rethrown to a handler that awaited its messages, was logged as it failed.
    if (described.unexpected && !isOwnWriteFailure(owner, exception)) this.logUnexpected(exception);
    if (platform.headersSent(response)) {
      this.logger.error(`An error was thrown after the response had started, so it could not be sent: ${summary(exception)}`);
      platform.endStarted(response);
      return;
    }
    // What the handler took for the answer this one replaces comes back, for this answer or the next request.
    this.options.messages.storage.answerReplaced?.(owner);
    let answered: MaybePromise<void>;
    try {
      // A request no route matched (a mistyped URL, the browser's own /favicon.ico) is no page's AJAX call:
      // it leaves the messages for the next one.
      answered =
        described.status === HttpStatus.NOT_FOUND && platform.isRouteMiss(exception, request)
          ? whenReady(this.routeMissStatus(request, response), (status) =>
              this.answer(exception, status, status === HttpStatus.NOT_FOUND ? withoutQuery(described) : {}, false, request, response),
            )
          : // A forged cross-site request's 403 leaves them too: another site must not be able to use them up.
            this.answer(exception, described.status, described, carriesMessages(described.status, request, this.options.csrf), request, response);
    } catch (error) {
      answered = Promise.reject(error);
    }
    if (answered instanceof Promise) {
      // Nobody awaits this chain: a failure to write must end here, not as an unhandled rejection.
      answered.catch((error: unknown) => this.lastResort(request, response, error));
    }
  }

  /**
   * Nest answers 404 to a known path asked with another method; HTTP says 405,
   * with the methods it has. When every route of the path requires a log-in,
   * an anonymous visitor gets the 401 those routes would give instead: the
   * methods of signed-in-only endpoints are not theirs to learn.
   */
  private routeMissStatus(request: AjaxRequest, response: JsonResponse): MaybePromise<number> {
    const platform = platformOf(response);
    const routes = platform.routesServingPath(request);
    // No route has the path, or one has it with this very method and still did not answer (another host,
    // an unknown version): a real 404, which says nothing of the path.
    if (routes.methods.length === 0 || routes.methods.includes(request.method)) return HttpStatus.NOT_FOUND;
    const methodNotAllowed = (): number => {
      platform.setHeader(response, 'Allow', routes.methods.join(', '));
      return HttpStatus.METHOD_NOT_ALLOWED;
    };
    if (!routes.loginRequired) return methodNotAllowed();
    // A failing log-in check is a server error here as in the guards: logged, and never taken for a yes.
    const failed = (error: unknown): number => {
      this.logUnexpected(error);
      return HttpStatus.INTERNAL_SERVER_ERROR;
    };
    try {
      const signedIn = isSignedIn(this.options, request);
      const status = (yes: boolean): number => (yes ? methodNotAllowed() : HttpStatus.UNAUTHORIZED);
      return signedIn instanceof Promise ? signedIn.then(status, failed) : status(signedIn);
    } catch (error) {
      return failed(error);
    }
  }

  /** The error answer: status headers, then the pending messages (when `carry`), then the body. */
  private answer(
    exception: unknown,
    status: number,
    { message, members }: Pick<ExceptionDescription, 'message' | 'members'>,
    carry: boolean,
    request: AjaxRequest,
    response: JsonResponse,
  ): MaybePromise<void> {
    const platform = platformOf(response);
    addStatusHeaders(platform, request, response, status, this.options.wwwAuthenticate);
    const info: AjaxErrorInfo = { status, error: reasonPhrase(status), exception };
    if (message !== undefined) info.message = message;
    if (members !== undefined) info.members = members;
    // No body to carry messages, or the storage failing is what is being reported: do not take them.
    if (!carry || !responseHasBody(request.method, status) || exception instanceof MessagesUnavailableException) {
      return this.respond(info, request, response);
    }
    const owner = platform.messagesRequestOf(request);
    // htmx swaps no error body and reads no JSON: its page gets the messages from HX-Trigger, which it reads on a 4xx or 5xx.
    if (wantsMessagesInHeader(owner, this.options)) {
      return whenReady(putMessagesInHeader(platform, owner, response, this.options), () => this.respond(info, request, response));
    }
    let messages: MaybePromise<readonly JsonMessage[]>;
    try {
      messages = takeJsonMessages(owner, this.options.messages.storage);
    } catch (error) {
      messages = Promise.reject(error);
    }
    if (!(messages instanceof Promise)) return this.respond(withMessages(info, messages), request, response);
    return messages.then(
      (taken) => this.respond(withMessages(info, taken), request, response),
      (error: unknown) => {
        // A failed write of this request's own was logged as it happened.
        if (!isOwnWriteFailure(owner, error)) this.logger.error(`Pending messages could not be taken; the error is sent without them: ${summary(error)}`);
        return this.respond(info, request, response);
      },
    );
  }

  private respond(info: AjaxErrorInfo, request: AjaxRequest, response: JsonResponse): MaybePromise<void> {
    return whenReady(this.buildBody(info, request), (body) => {
      const platform = platformOf(response);
      if (platform.headersSent(response)) return;
      if (info.messages) makePrivate(platform, response);
      if (!this.options.errorBody) return this.send(response, info.status, body);
      try {
        this.send(response, info.status, this.usableBody(body, info, request, platform, response));
      } catch (error) {
        // A result that serialised once and not twice (a getter with a memory): the module's body, with the messages.
        if (platform.headersSent(response)) throw error;
        this.reportErrorBody('cannot be serialised', summary(error), error);
        this.send(response, info.status, this.moduleBody(info, request));
      }
    });
  }

  /**
   * The JSON body of an error: the `errorBody` option's (awaited when it is a
   * promise), or the module's `{ status: 'error', error, message?, messages? }`
   * (problem details with `errorFormat: 'problem+json'`).
   * An `errorBody` that throws or rejects gives the module's body, logged.
   */
  protected buildBody(info: AjaxErrorInfo, request: AjaxRequest): object | Promise<object> {
    if (!this.options.errorBody) return this.moduleBody(info, request);
    let result: unknown;
    let thenable: boolean;
    try {
      result = this.options.errorBody(info, request);
      // Inside the try: reading `then` runs a getter, which may throw.
      thenable = isThenable(result);
    } catch (error) {
      this.reportErrorBody('threw', summary(error), error);
      return this.moduleBody(info, request);
    }
    if (!thenable) return result as object;
    return Promise.resolve(result).then(
      (settled) => settled as object,
      (error: unknown) => {
        this.reportErrorBody('rejected', summary(error), error);
        return this.moduleBody(info, request);
      },
    );
  }

  /** The module's own body of an error, in the app's format (`errorFormat`). */
  private moduleBody(info: AjaxErrorInfo, request: AjaxRequest | undefined): Record<string, unknown> {
    return moduleErrorBody(this.options.errorFormat, info, request);
  }

  /** `errorBody`'s result when the platform can send it as a JSON object, else the module's body (the messages in it). */
  private usableBody(body: unknown, info: AjaxErrorInfo, request: AjaxRequest, platform: HttpPlatform, response: JsonResponse): object {
    let text: string | undefined;
    try {
      text = platform.jsonText(response, body);
    } catch (error) {
      this.reportErrorBody('cannot be serialised', summary(error), error);
      return this.moduleBody(info, request);
    }
    if (isObjectText(text)) return body as object;
    this.reportErrorBody('not an object', `it gave ${describeValue(body)}`);
    return this.moduleBody(info, request);
  }

  private reportErrorBody(kind: string, why: string, error?: unknown): void {
    if (this.errorBodyFailures.has(kind)) return;
    this.errorBodyFailures.add(kind);
    this.logger.error(
      `The errorBody option's result ${kind === 'threw' || kind === 'rejected' ? `was lost: it ${kind}` : kind}, so the module's error body was sent ` +
        `(logged once for this kind of failure): ${why}`,
      stackOf(error),
    );
  }

  /** Logs a failure that is not the client's doing, with its stack: the client is told nothing of it. */
  protected logUnexpected(exception: unknown): void {
    this.logger.error(summary(exception), stackOf(exception));
  }

  /**
   * Writes the body, on any platform: as `application/problem+json` with
   * `errorFormat: 'problem+json'`, whoever built the body (`errorBody` too),
   * and as JSON in place of a type of another kind the route set.
   */
  protected send(response: JsonResponse, status: number, body: object): void {
    const platform = platformOf(response);
    platform.sendJson(response, status, body, errorBodyType(platform, response, this.options.errorFormat));
  }

  /** Anything that failed on the way to the answer: the module's 500, if nothing has been sent. */
  private lastResort(request: AjaxRequest, response: JsonResponse, error: unknown): void {
    this.logger.error(`The error body could not be written: ${summary(error)}`, stackOf(error));
    const platform = platformOf(response);
    if (!platform.headersSent(response)) {
      const status = HttpStatus.INTERNAL_SERVER_ERROR;
      const body = this.moduleBody({ status, error: reasonPhrase(status), exception: error }, request);
      platform.sendJson(response, status, body, errorBodyType(platform, response, this.options.errorFormat));
    } else {
      platform.endStarted(response);
    }
  }
}

/**
 * Whether an error answer takes the visitor's messages: not the refusal of a
 * forged request (even with the module's cross-site check off, Nest's own may
 * have refused it), nor any answer to another site's request.
 */
function carriesMessages(status: number, request: AjaxRequest, csrf: ResolvedAjaxOptions['csrf']): boolean {
  return !refusedAsCrossSite(status, request, csrf?.trustedOrigins) && !fromAnotherSite(request, csrf);
}

/**
 * Nest's "Cannot GET /path?query" without its query string, which may carry
 * tokens, e-mail addresses or search terms that have no place in a body
 * clients log and report (as `instance` leaves it out too).
 */
function withoutQuery(described: ExceptionDescription): ExceptionDescription {
  const { message } = described;
  return typeof message === 'string' && message.includes('?') ? { ...described, message: withoutQueryString(message) } : described;
}

function withMessages(info: AjaxErrorInfo, messages: readonly JsonMessage[]): AjaxErrorInfo {
  if (messages.length > 0) info.messages = [...messages];
  return info;
}

function summary(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  return `a non-Error value was thrown: ${inspect(value, { depth: 2, breakLength: Infinity })}`;
}

function stackOf(value: unknown): string | undefined {
  return value instanceof Error ? value.stack : undefined;
}
