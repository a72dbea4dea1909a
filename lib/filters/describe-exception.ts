import { HttpException, HttpStatus } from '@nestjs/common';
import { exceptionMembers } from './exception-members.js';
import { isProblemDetails } from './problem-media-type.js';
import { reasonPhrase } from './reason-phrase.js';

/** What the filter makes of a thrown value. @internal */
export interface ExceptionDescription {
  status: number;
  /** Safe to show the client, and more than the reason phrase. */
  message?: string | string[];
  /** The app's own members of a 4xx HttpException's response object (`code`, `field`, Nest 12's `errorCode`…). */
  members?: Record<string, unknown>;
  /** A server-side failure: logged with its stack, never shown. */
  unexpected: boolean;
}

const INTERNAL: ExceptionDescription = { status: HttpStatus.INTERNAL_SERVER_ERROR, unexpected: true };

/**
 * Status and client-safe message of anything thrown.
 *
 * - An HttpException keeps its status, and its message for a 4xx. A 5xx tells
 *   the client nothing more than its phrase (its message is for the log: it
 *   may name hosts, users or queries); a status that is not an error is a bug.
 * - Another error keeps a 4xx `status` or `statusCode`, read as Express does
 *   (the first of the two that is an error status), and shows its message only
 *   when it says `expose: true`, as http-errors and body-parser do: an error
 *   of some client library with a `statusCode` is not the client's business.
 * - Everything else is a 500 that shows nothing.
 * @internal
 */
export function describeException(exception: unknown): ExceptionDescription {
  if (exception instanceof HttpException) {
    const wrapped = errorWrappedByPlatform(exception);
    if (wrapped !== undefined) return describeException(wrapped);
    const status = exception.getStatus();
    if (!isErrorStatus(status)) return INTERNAL;
    if (status >= 500) return { status, unexpected: true };
    const response = exception.getResponse();
    // The module's own refusal (a guard's, as problem details): its detail is all it says beyond its status, as the
    // message of the module's default body is.
    if (isProblemDetails(response)) {
      return { status, message: informativeMessage((response as { detail?: string }).detail, status), unexpected: false };
    }
    const members = exceptionMembers(response);
    return { status, message: informativeMessage(messageOfResponse(response), status), ...(members && { members }), unexpected: false };
  }
  const status = carriedStatus(exception);
  if (status === undefined || status >= 500) return INTERNAL;
  const { message, expose } = exception as { message?: unknown; expose?: unknown };
  return { status, message: expose === true ? informativeMessage(messageOfResponse(message), status) : undefined, unexpected: false };
}

/**
 * The http-errors error (body-parser's, Express's, a middleware's `next(err)`)
 * that Nest 12's Express adapter wraps in a plain HttpException, its cause,
 * with the error's message or, when it says `expose: false`, a status text
 * ("Internal server error" for a status Node does not name). Nest 11 hands
 * the error over as it is. Described from the error itself, both answer
 * alike: a 4xx without `expose: true` shows no message, never that 500 text.
 * Recognised by shape, not by Nest's wording: a plain HttpException whose
 * cause is an http-errors error of the same status, carrying that error's
 * message or hiding it. An app's own HttpException with another message for
 * an exposed cause keeps its message.
 */
function errorWrappedByPlatform(exception: HttpException): unknown {
  const { cause } = exception;
  if (exception.constructor !== HttpException || !(cause instanceof Error)) return undefined;
  const { status, statusCode, expose } = cause as { status?: unknown; statusCode?: unknown; expose?: unknown };
  if (typeof expose !== 'boolean' || statusCode !== status || statusCode !== exception.getStatus()) return undefined;
  return expose === false || exception.getResponse() === cause.message ? cause : undefined;
}

function isErrorStatus(status: unknown): status is number {
  return Number.isInteger(status) && (status as number) >= 400 && (status as number) <= 599;
}

/** The error status an error carries the way Express's final handler reads it, if any. */
function carriedStatus(exception: unknown): number | undefined {
  if (typeof exception !== 'object' || exception === null) return undefined;
  const { status, statusCode } = exception as { status?: unknown; statusCode?: unknown };
  if (isErrorStatus(status)) return status;
  return isErrorStatus(statusCode) ? statusCode : undefined;
}

/** A string, a list of strings (ValidationPipe), or `{ message }` holding one of those. */
function messageOfResponse(response: unknown): string | string[] | undefined {
  if (typeof response === 'string') return response;
  if (Array.isArray(response)) return response.every((item) => typeof item === 'string') ? response : undefined;
  if (typeof response === 'object' && response !== null && 'message' in response) {
    const { message } = response as { message: unknown };
    if (typeof message === 'string' || Array.isArray(message)) return messageOfResponse(message);
  }
  return undefined;
}

/** Drops a message that only repeats the reason phrase ("Not Found" for a 404). @internal */
export function informativeMessage(message: string | string[] | undefined, status: number): string | string[] | undefined {
  if (message === undefined || message.length === 0) return undefined;
  if (typeof message === 'string' && normalize(message) === normalize(reasonPhrase(status))) return undefined;
  return message;
}

function normalize(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}
