import { HttpException, HttpStatus } from '@nestjs/common';
import { reasonPhrase } from './reason-phrase.js';

/** What the filter makes of a thrown value. @internal */
export interface ExceptionDescription {
  status: number;
  /** Safe to show the client, and more than the reason phrase. */
  message?: string | string[];
  /** Not an HttpException nor a client error: a bug to log, never to show. */
  unexpected: boolean;
}

/**
 * Status and client-safe message of anything thrown. HttpExceptions keep their
 * status and message; errors carrying a 4xx `status`/`statusCode` (body-parser,
 * http-errors) keep theirs; everything else is a 500 that shows nothing.
 * @internal
 */
export function describeException(exception: unknown): ExceptionDescription {
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    // An error body with a success or redirect status would confuse every client: treat it as a bug.
    if (!isErrorStatus(status)) return { status: HttpStatus.INTERNAL_SERVER_ERROR, unexpected: true };
    return { status, message: informativeMessage(messageOfResponse(exception.getResponse()), status), unexpected: false };
  }
  const clientStatus = clientErrorStatus(exception);
  if (clientStatus !== undefined) {
    const error = exception as { message?: unknown; expose?: unknown };
    const message = error.expose === false ? undefined : messageOfResponse(error.message);
    return { status: clientStatus, message: informativeMessage(message, clientStatus), unexpected: false };
  }
  return { status: HttpStatus.INTERNAL_SERVER_ERROR, unexpected: true };
}

function isErrorStatus(status: unknown): status is number {
  return Number.isInteger(status) && (status as number) >= 400 && (status as number) <= 599;
}

/** The 4xx status an error carries the way body-parser and http-errors do, if any. */
function clientErrorStatus(exception: unknown): number | undefined {
  if (typeof exception !== 'object' || exception === null) return undefined;
  const { status, statusCode } = exception as { status?: unknown; statusCode?: unknown };
  const candidate = Number.isInteger(status) ? status : statusCode;
  return Number.isInteger(candidate) && (candidate as number) >= 400 && (candidate as number) < 500 ? (candidate as number) : undefined;
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

/** Drops a message that only repeats the reason phrase ("Not Found" for a 404). */
function informativeMessage(message: string | string[] | undefined, status: number): string | string[] | undefined {
  if (message === undefined || message.length === 0) return undefined;
  if (typeof message === 'string' && normalize(message) === normalize(reasonPhrase(status))) return undefined;
  return message;
}

function normalize(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}
