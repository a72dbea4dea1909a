import { type ArgumentsHost, Catch, type ExceptionFilter, HttpStatus, Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { inspect } from 'node:util';
import type { AjaxRequest } from '../ajax-request.interface.js';
import { AJAX_OPTIONS } from '../ajax.constants.js';
import { responseHasBody, takeJsonMessages } from '../messages/deliver-messages.js';
import { releaseJsonHook } from '../messages/json-messages-hook.js';
import type { JsonMessage } from '../messages/ajax-message.interface.js';
import { MessagesUnavailableException } from '../messages/messages-unavailable.exception.js';
import type { AjaxErrorInfo } from '../options/ajax-module-options.interface.js';
import { requireAjaxOptions, type ResolvedAjaxOptions } from '../options/resolve-ajax-options.js';
import { describeException } from './describe-exception.js';
import { defaultErrorBody } from './error-body.js';
import { reasonPhrase } from './reason-phrase.js';
import { isRouteMiss, methodsServingPath } from './route-methods.js';

/** The Express response methods the filter uses. */
interface JsonResponse {
  headersSent: boolean;
  writableEnded: boolean;
  getHeader(name: string): unknown;
  setHeader(name: string, value: string): unknown;
  status(code: number): this;
  json(body: unknown): unknown;
  end(): unknown;
}

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
 * nothing about it, logged with its stack. The `errorBody` option replaces the
 * body's shape. Override `buildBody()`, `logUnexpected()` or `send()` to change
 * one step.
 *
 * @example
 * // Everywhere, including unknown routes and body-parser failures:
 * AjaxModule.forRoot({ global: true })
 * // or per controller:
 * @UseFilters(AjaxExceptionFilter)
 */
@Catch()
@Injectable()
export class AjaxExceptionFilter implements ExceptionFilter {
  protected readonly logger = new Logger(AjaxExceptionFilter.name);
  protected readonly options: ResolvedAjaxOptions;

  constructor(@Optional() @Inject(AJAX_OPTIONS) options?: ResolvedAjaxOptions) {
    this.options = requireAjaxOptions(options, 'AjaxExceptionFilter');
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    // Only HTTP has a JSON body to write; other transports keep their own handling.
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const request = http.getRequest<AjaxRequest>();
    const response = http.getResponse<JsonResponse>();
    // The error body is written here, with the messages taken here: not a second time by the hook.
    releaseJsonHook(response);
    const described = describeException(exception);
    let { status, message } = described;
    if (described.unexpected) this.logUnexpected(exception);
    if (response.headersSent) {
      this.logger.error(`An error was thrown after the response had started, so it could not be sent: ${summary(exception)}`);
      if (!response.writableEnded) response.end();
      return;
    }
    // Nest answers 404 to a known path asked with another method; HTTP says 405, with the methods it has.
    if (status === HttpStatus.NOT_FOUND && isRouteMiss(exception, request)) {
      const allowed = methodsServingPath(request);
      if (allowed.length > 0) {
        response.setHeader('Allow', allowed.join(', '));
        status = HttpStatus.METHOD_NOT_ALLOWED;
        message = undefined;
      }
    }
    if (status === HttpStatus.UNAUTHORIZED && !response.getHeader('WWW-Authenticate')) {
      response.setHeader('WWW-Authenticate', this.options.wwwAuthenticate);
    }
    const info: AjaxErrorInfo = { status, error: reasonPhrase(status), exception };
    if (message !== undefined) info.message = message;
    // No body to carry messages, or the storage failing is what is being reported: do not take them.
    if (!responseHasBody(request.method, status) || exception instanceof MessagesUnavailableException) {
      this.send(response, status, this.buildBody(info, request));
      return;
    }
    let messages: ReturnType<typeof takeJsonMessages>;
    try {
      messages = takeJsonMessages(request, this.options.messages.storage);
    } catch (error) {
      messages = Promise.reject(error);
    }
    if (messages instanceof Promise) {
      messages
        .then(
          (taken) => this.sendWithMessages(response, request, info, taken),
          (error: unknown) => {
            this.logger.error(`Pending messages could not be read; the error is sent without them: ${summary(error)}`);
            if (!response.headersSent) this.send(response, status, this.buildBody(info, request));
          },
        )
        // Nobody awaits this chain: a failure to write must end here, not as an unhandled rejection.
        .catch((error: unknown) => {
          this.logger.error(`The error body could not be written: ${summary(error)}`, stackOf(error));
          if (!response.headersSent) response.status(status).json(defaultErrorBody({ error: info.error }));
          else if (!response.writableEnded) response.end();
        });
      return;
    }
    this.sendWithMessages(response, request, info, messages);
  }

  private sendWithMessages(response: JsonResponse, request: AjaxRequest, info: AjaxErrorInfo, messages: readonly JsonMessage[]): void {
    if (response.headersSent) return;
    if (messages.length > 0) info.messages = [...messages];
    this.send(response, info.status, this.buildBody(info, request));
  }

  /**
   * The JSON body of an error: the `errorBody` option's, or the module's
   * `{ status: 'error', error, message?, messages? }`. A failing `errorBody`
   * is logged and the default body sent.
   */
  protected buildBody(info: AjaxErrorInfo, request: AjaxRequest): object {
    if (this.options.errorBody) {
      try {
        return this.options.errorBody(info, request);
      } catch (error) {
        this.logger.error(`The errorBody option threw; the default error body is sent instead: ${summary(error)}`, stackOf(error));
      }
    }
    return defaultErrorBody(info);
  }

  /** Logs a failure that is not the client's doing, with its stack: the client is told nothing of it. */
  protected logUnexpected(exception: unknown): void {
    this.logger.error(summary(exception), stackOf(exception));
  }

  /** Writes the body. */
  protected send(response: JsonResponse, status: number, body: object): void {
    response.status(status).json(body);
  }
}

function summary(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  return `a non-Error value was thrown: ${inspect(value, { depth: 2, breakLength: Infinity })}`;
}

function stackOf(value: unknown): string | undefined {
  return value instanceof Error ? value.stack : undefined;
}
