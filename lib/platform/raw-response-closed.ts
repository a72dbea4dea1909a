/** The parts of Node's `ServerResponse` that tell how it ended. @internal */
export interface ClosingResponse {
  readonly closed: boolean;
  readonly writableEnded: boolean;
  readonly writableFinished: boolean;
  readonly headersSent: boolean;
  statusCode: number;
  once(event: 'close', listener: () => void): unknown;
}

/**
 * Calls `listener` once Node's response has closed, with whether it went
 * out: written in full (`'finish'` came first), or started and cut short by
 * the visitor, as every stream (`@Sse()`) is, whose close never finishes it.
 * `false` when the visitor went away before anything was sent. At once, on
 * the next microtask, when it has closed already.
 * @internal
 */
export function onRawResponseClosed(res: ClosingResponse, listener: (written: boolean) => void): void {
  const wentOut = () => listener(res.writableFinished || res.headersSent);
  if (res.closed) queueMicrotask(wentOut);
  else res.once('close', wentOut);
}
