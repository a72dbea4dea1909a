/** The parts of Node's `ServerResponse` that tell how it ended. @internal */
export interface ClosingResponse {
  readonly closed: boolean;
  readonly writableFinished: boolean;
  once(event: 'close', listener: () => void): unknown;
}

/**
 * Calls `listener` once Node's response has closed, with whether it was
 * written in full (`'finish'` came first) or cut short (the visitor went
 * away). At once, on the next microtask, when it has closed already.
 * @internal
 */
export function onRawResponseClosed(res: ClosingResponse, listener: (written: boolean) => void): void {
  if (res.closed) queueMicrotask(() => listener(res.writableFinished));
  else res.once('close', () => listener(res.writableFinished));
}
