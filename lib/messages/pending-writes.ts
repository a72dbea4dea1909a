import { HttpStatus, Logger } from '@nestjs/common';
import type { AjaxRequest } from '../ajax-request.interface.js';
import { errorContentType, statusErrorBody } from '../filters/error-body.js';
import { JSON_CONTENT_TYPE } from '../json-media-type.js';
import type { AjaxErrorFormat } from '../options/ajax-module-options.interface.js';
import type { MaybePromise, MessageStorage } from './message-storage.interface.js';
import { platformOf } from '../platform/platform-of.js';
import { RequestSlot } from '../request-slot.js';

/** The writes of messages a request has started on an asynchronous storage, chained. */
const PENDING = new RequestSlot<Promise<void>>(Symbol('nestjs-ajax:pending-writes'));
/** The error format of the 503 that answers the request if one of them fails. */
const FORMAT = new RequestSlot<AjaxErrorFormat>(Symbol('nestjs-ajax:pending-writes-format'));
/** The storage the writes went to: told when the module's 503 replaces the answer (`answerReplaced()`). */
const STORAGE = new RequestSlot<MessageStorage>(Symbol('nestjs-ajax:pending-writes-storage'));
/** The errors a request's own writes failed with, each logged once as it happened (`reportFailedWrite()`). */
const FAILED = new RequestSlot<unknown[]>(Symbol('nestjs-ajax:pending-writes-failures'));

const logger = new Logger('AjaxMessages');

/**
 * Records a write of a message that an asynchronous storage has started, and
 * has the platform hold the end of the response until every such write has
 * settled: a message added before a redirect is stored before the browser
 * can follow the redirect, to this instance or another. If a write failed
 * and nothing has been sent yet, the response becomes the module's 503
 * instead (`storageFailureAnswer()`, in the app's error format), so the page
 * learns that its message is lost.
 * @internal
 */
export function trackWrite(req: AjaxRequest, write: Promise<void>, format: AjaxErrorFormat, storage: MessageStorage): void {
  const previous = PENDING.get(req);
  FORMAT.set(req, format);
  STORAGE.set(req, storage);
  // Reported here, once, before anything that waits for the writes hears of it: what then answers (the 503, or an
  // error body written past the platform's hold) need not, and a take that fails with it does not say it again.
  write.catch((error: unknown) => reportFailedWrite(req, error));
  const all = previous ? Promise.all([previous, write]).then(() => undefined) : write;
  all.catch(() => undefined); // observed by whoever waits for it: not an unhandled rejection
  PENDING.set(req, all);
  if (!previous) platformOf(req).holdEndUntilWritten(req);
}

/** The writes this request started, settled; undefined when there are none. @internal */
export function pendingWrites(req: AjaxRequest): Promise<void> | undefined {
  return PENDING.get(req);
}

/**
 * Whether `error` is the failure of one of this request's own writes, logged
 * as it happened, rather than one of a read.
 * @internal
 */
export function isOwnWriteFailure(req: AjaxRequest, error: unknown): boolean {
  return FAILED.get(req)?.includes(error) === true;
}

/** Logs a failed write of the request's, and notes it (`isOwnWriteFailure()`). */
function reportFailedWrite(req: AjaxRequest, error: unknown): void {
  const failed = FAILED.get(req);
  if (failed) failed.push(error);
  else FAILED.set(req, [error]);
  logger.error(`A message could not be stored; a response not yet sent becomes the 503: ${(error as Error)?.message ?? error}`);
}

/**
 * Runs `work` once the writes this request started have settled (rejecting
 * if one failed), or at once when there are none, so that what it reads
 * leaves none of this request's messages behind. Synchronous when there are
 * none and `work` is.
 * @internal
 */
export function afterOwnWrites<T>(req: AjaxRequest, work: () => MaybePromise<T>): MaybePromise<T> {
  const writes = pendingWrites(req);
  return writes ? writes.then(work) : work();
}

/** The answer that replaces a response whose message could not be stored. @internal */
export interface StorageFailureAnswer {
  readonly status: number;
  /** The JSON text of the module's 503 body. */
  readonly body: string;
  /** Its media type: JSON's, or problem details'. */
  readonly contentType: string;
  /** Headers of the replaced response that must not go out with it. */
  readonly dropHeaders: readonly string[];
}

/**
 * What replaces a response whose request's write failed (logged as it
 * happened): the module's 503, unless it is one already (the exception
 * filter answered with the app's error body), when it is `undefined`.
 * Asked only of a response not yet started, as it is replaced: the
 * storage is told (`answerReplaced()`).
 * @internal
 */
export function storageFailureAnswer(status: number, req: AjaxRequest): StorageFailureAnswer | undefined {
  if (status === HttpStatus.SERVICE_UNAVAILABLE) return undefined;
  // The answer the request built, and whatever its takes put in it, will not go out.
  STORAGE.get(req)?.answerReplaced?.(req);
  const format = FORMAT.get(req) ?? 'ajax';
  return {
    status: HttpStatus.SERVICE_UNAVAILABLE,
    body: JSON.stringify(statusErrorBody(format, HttpStatus.SERVICE_UNAVAILABLE, req)),
    contentType: errorContentType(format) ?? JSON_CONTENT_TYPE,
    dropHeaders: ['Location', 'ETag', 'Content-Length'],
  };
}
