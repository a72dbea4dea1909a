import { Buffer } from 'node:buffer';
import type { JsonSettings } from '../../messages/json-text.js';

/** The Express response calls the JSON writer makes. @internal */
export interface JsonTextResponse {
  app: { get(setting: string): unknown };
  get(name: string): string | undefined;
  set(name: string, value: string): unknown;
  removeHeader(name: string): unknown;
  send(body: string): unknown;
}

/** The Express request, with its freshness check (`req.fresh`). @internal */
export interface FreshnessRequest {
  headers: Record<string, string | string[] | undefined>;
  readonly fresh?: boolean;
}

/**
 * The app's `json replacer`, `json spaces` and `json escape` settings, read
 * once per response. The app is read from the response's prototype (the
 * app's, which holds it): on the response itself, whose hidden class is its
 * own (see `RequestSlot`), the read here, where every response passes,
 * would miss V8's caches.
 * @internal
 */
export function jsonSettings(res: JsonTextResponse): JsonSettings {
  const app = (Object.getPrototypeOf(res) as Partial<JsonTextResponse> | null)?.app ?? res.app;
  return {
    replacer: app.get('json replacer') as JsonSettings['replacer'],
    spaces: app.get('json spaces') as string | number | undefined,
    escape: Boolean(app.get('json escape')),
  };
}

/** Sends JSON text as `res.json` does after serialising: `application/json` unless a type was set. @internal */
export function sendJsonText(res: JsonTextResponse, text: string | undefined): unknown {
  if (!res.get('Content-Type')) res.set('Content-Type', 'application/json');
  return res.send(text as string);
}

/**
 * Whether Express will answer this body with 304 Not Modified: the request is
 * conditional and the app's `Last-Modified`, or the `ETag` of this text (set
 * now, as `res.send` would set it), says the client's copy is current. Then
 * the messages must stay pending, since a 304 has no body.
 *
 * `undefined` for a request that is not conditional; `'fresh'` for a 304;
 * else whether it set the `ETag`, which then describes the body without messages.
 * @internal
 */
export function checkNotModified(req: FreshnessRequest, res: JsonTextResponse, text: string): 'fresh' | 'etag-set' | 'stale' | undefined {
  if (req.headers['if-none-match'] === undefined && req.headers['if-modified-since'] === undefined) return undefined;
  let etagSet = false;
  if (!res.get('ETag')) {
    const etagOf = res.app.get('etag fn');
    const etag = typeof etagOf === 'function' ? (etagOf as (body: Buffer) => string | undefined)(Buffer.from(text, 'utf8')) : undefined;
    if (etag) {
      res.set('ETag', etag);
      etagSet = true;
    }
  }
  if (req.fresh === true) return 'fresh';
  return etagSet ? 'etag-set' : 'stale';
}

/**
 * Makes a conditional request unconditional, for a response that carries
 * messages: it is a new answer, and must not become a 304 after the messages
 * were taken for it (a client replaying an old `ETag` of a body with messages).
 * @internal
 */
export function dropConditions(req: FreshnessRequest): void {
  delete req.headers['if-none-match'];
  delete req.headers['if-modified-since'];
}
