import { Buffer } from 'node:buffer';
import type { AjaxRequest } from '../../ajax-request.interface.js';
import { pendingWrites, storageFailureAnswer } from '../../messages/pending-writes.js';

interface EndingResponse {
  headersSent: boolean;
  statusCode: number;
  end: (...args: unknown[]) => unknown;
  setHeader(name: string, value: string): unknown;
  removeHeader(name: string): unknown;
}

/**
 * Express's way to hold a response until the request's writes of messages
 * have settled: its `res.end()` waits for them, whoever calls it (a
 * redirect, `@Res()`, a stream, express-session's save). A failed write
 * turns a response not yet started into the module's 503.
 * @internal
 */
export function holdEndUntilWritten(req: AjaxRequest & { res?: unknown }): void {
  const res = req.res as EndingResponse | undefined;
  if (!res) return;
  const end = res.end;
  res.end = function endWhenWritten(this: EndingResponse, ...args: unknown[]): unknown {
    res.end = end;
    const pending = pendingWrites(req);
    if (!pending) return end.apply(res, args);
    pending.then(
      () => end.apply(res, args),
      () => {
        // A response that has started (a stream, a write of the app's) goes out as it is: nothing replaces it.
        const answer = res.headersSent ? undefined : storageFailureAnswer(res.statusCode, req);
        if (!answer) return end.apply(res, args);
        res.statusCode = answer.status;
        for (const header of answer.dropHeaders) res.removeHeader(header);
        res.setHeader('Content-Type', answer.contentType);
        res.setHeader('Content-Length', String(Buffer.byteLength(answer.body)));
        return end.call(res, answer.body);
      },
    );
    return res;
  };
}
