import { HttpStatus, Logger } from '@nestjs/common';
import type { AjaxRequest } from '../ajax-request.interface.js';
import { statusErrorBody } from '../filters/error-body.js';

/** The writes of messages a request has started on an asynchronous storage, chained. */
const PENDING = Symbol('nestjs-ajax:pending-writes');

interface EndingResponse {
  headersSent: boolean;
  statusCode: number;
  end: (...args: unknown[]) => unknown;
  setHeader(name: string, value: string): unknown;
  removeHeader(name: string): unknown;
}

type TrackedRequest = AjaxRequest & { [PENDING]?: Promise<void>; res?: AjaxRequest['res'] & Partial<EndingResponse> };

const logger = new Logger('AjaxMessages');

/**
 * Records a write of a message that an asynchronous storage has started, and
 * holds the end of the response until every such write has settled: a
 * message added before a redirect is stored before the browser can follow
 * the redirect, to this instance or another. If a write failed and nothing
 * has been sent yet, the response becomes the module's 503 instead, so the
 * page learns that its message is lost.
 * @internal
 */
export function trackWrite(req: TrackedRequest, write: Promise<void>): void {
  const previous = req[PENDING];
  const all = previous ? Promise.all([previous, write]).then(() => undefined) : write;
  all.catch(() => undefined); // observed by whoever waits for it; not an unhandled rejection
  req[PENDING] = all;
  if (!previous && req.res) holdEndUntilWritten(req, req.res as EndingResponse);
}

/** The writes this request started, settled; undefined when there are none. @internal */
export function pendingWrites(req: AjaxRequest): Promise<void> | undefined {
  return (req as TrackedRequest)[PENDING];
}

function holdEndUntilWritten(req: TrackedRequest, res: EndingResponse): void {
  const end = res.end;
  res.end = function endWhenWritten(this: EndingResponse, ...args: unknown[]): unknown {
    res.end = end;
    const pending = req[PENDING];
    if (!pending) return end.apply(res, args);
    pending.then(
      () => end.apply(res, args),
      (error: unknown) => {
        logger.error(`A message could not be stored, so the response was replaced by a 503: ${(error as Error)?.message ?? error}`);
        // Already answered with a 503 (by the exception filter, with the app's error body): keep it.
        if (res.headersSent || res.statusCode === HttpStatus.SERVICE_UNAVAILABLE) return end.apply(res, args);
        const body = JSON.stringify(statusErrorBody(HttpStatus.SERVICE_UNAVAILABLE));
        res.statusCode = HttpStatus.SERVICE_UNAVAILABLE;
        for (const header of ['Location', 'ETag', 'Content-Length']) res.removeHeader(header);
        res.setHeader('Content-Type', 'application/json; charset=utf-8');
        res.setHeader('Content-Length', String(Buffer.byteLength(body)));
        return end.call(res, body);
      },
    );
    return res;
  };
}
