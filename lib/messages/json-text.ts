import type { JsonMessage } from './ajax-message.interface.js';

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

type Replacer = (this: unknown, key: string, value: unknown) => unknown;

/** The app's JSON settings, read once per response. @internal */
export interface JsonSettings {
  readonly replacer?: Replacer;
  readonly spaces?: string | number;
  readonly escape: boolean;
}

/** The app's `json replacer`, `json spaces` and `json escape` settings. @internal */
export function jsonSettings(res: JsonTextResponse): JsonSettings {
  const app = res.app;
  return {
    replacer: app.get('json replacer') as Replacer | undefined,
    spaces: app.get('json spaces') as string | number | undefined,
    escape: Boolean(app.get('json escape')),
  };
}

/**
 * The JSON text of a body exactly as Express's `res.json` makes it (the app's
 * `json replacer`, `json spaces` and `json escape` settings). It throws where
 * `res.json` would (a BigInt, a cycle, a `toJSON` that throws), and is
 * `undefined` where `res.json` would send nothing.
 *
 * Serialising here rather than in `res.json` lets the module see that a body
 * cannot be sent before it takes any message for it, and add the messages to
 * the text without serialising the body twice.
 * @internal
 */
export function jsonText(settings: JsonSettings, value: unknown): string | undefined {
  const { replacer, spaces } = settings;
  const text = replacer || spaces ? JSON.stringify(value, replacer, spaces) : JSON.stringify(value);
  return settings.escape && text !== undefined ? escapeHtmlCharacters(text) : text;
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

/**
 * A JSON object's text with a `messages` member added at its end, made with
 * the app's JSON settings as a member of an object, so that a replacer and
 * indentation apply to it as they would have to a body that held it. The
 * caller has made sure the text is an object's and has no `messages` of its own.
 * @internal
 */
export function withMessagesText(settings: JsonSettings, text: string, messages: readonly JsonMessage[]): string {
  let member: string;
  if (settings.replacer || settings.spaces) {
    const wrapped = jsonText(settings, { messages }) ?? '';
    member = wrapped.slice(1, wrapped.lastIndexOf('}')).trimEnd();
    // A replacer that dropped or renamed the member: the messages as they are, since they were taken for this body.
    if (!member.trimStart().startsWith('"messages"')) member = `"messages":${jsonText({ escape: settings.escape }, messages)}`;
  } else {
    member = `"messages":${jsonText(settings, messages)}`;
  }
  const close = text.lastIndexOf('}');
  let last = close - 1;
  while (last > 0 && isJsonSpace(text.charCodeAt(last))) last--;
  const separator = text.charCodeAt(last) === OPEN_BRACE ? '' : ',';
  return `${text.slice(0, last + 1)}${separator}${member}${text.slice(last + 1)}`;
}

/** Whether JSON text is an object's: what can carry `messages`. @internal */
export function isObjectText(text: string | undefined): text is string {
  return text !== undefined && text.charCodeAt(0) === OPEN_BRACE;
}

const OPEN_BRACE = 0x7b;

function isJsonSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

/** Express's `json escape`: `<`, `>` and `&` as Unicode escapes, so no sniffer reads the JSON as HTML. */
function escapeHtmlCharacters(text: string): string {
  return text.replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
