import { HttpStatus, Logger } from '@nestjs/common';
import type { AjaxRequest } from '../ajax-request.interface.js';
import { statusErrorBody } from '../filters/error-body.js';
import { platformOf } from '../platform/platform-of.js';

/** The writes of messages a request has started on an asynchronous storage, chained. */
const PENDING = Symbol('nestjs-ajax:pending-writes');

type TrackedRequest = AjaxRequest & { [PENDING]?: Promise<void> };

const logger = new Logger('AjaxMessages');

/**
 * Records a write of a message that an asynchronous storage has started, and
 * has the platform hold the end of the response until every such write has
 * settled: a message added before a redirect is stored before the browser
 * can follow the redirect, to this instance or another. If a write failed
 * and nothing has been sent yet, the response becomes the module's 503
 * instead (`storageFailureAnswer()`), so the page learns that its message is lost.
 * @internal
 */
export function trackWrite(req: TrackedRequest, write: Promise<void>): void {
  const previous = req[PENDING];
  const all = previous ? Promise.all([previous, write]).then(() => undefined) : write;
  all.catch(() => undefined); // observed by whoever waits for it; not an unhandled rejection
  req[PENDING] = all;
  if (!previous) platformOf(req).holdEndUntilWritten(req);
}

/** The writes this request started, settled; undefined when there are none. @internal */
export function pendingWrites(req: AjaxRequest): Promise<void> | undefined {
  return (req as TrackedRequest)[PENDING];
}

/** The answer that replaces a response whose message could not be stored. @internal */
export interface StorageFailureAnswer {
  readonly status: number;
  /** The JSON text of the module's 503 body. */
  readonly body: string;
  /** Headers of the replaced response that must not go out with it. */
  readonly dropHeaders: readonly string[];
}

/**
 * Logs a failed write, and says what replaces the response: the module's
 * 503, unless it is one already (the exception filter answered with the
 * app's error body), when it is `undefined`.
 * @internal
 */
export function storageFailureAnswer(error: unknown, status: number): StorageFailureAnswer | undefined {
  logger.error(`A message could not be stored, so the response was replaced by a 503: ${(error as Error)?.message ?? error}`);
  if (status === HttpStatus.SERVICE_UNAVAILABLE) return undefined;
  return {
    status: HttpStatus.SERVICE_UNAVAILABLE,
    body: JSON.stringify(statusErrorBody(HttpStatus.SERVICE_UNAVAILABLE)),
    dropHeaders: ['Location', 'ETag', 'Content-Length'],
  };
}
