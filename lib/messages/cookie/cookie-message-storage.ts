import { Logger } from '@nestjs/common';
import type { AjaxRequest } from '../../ajax-request.interface.js';
import { AjaxConfigurationError, describeValue } from '../../ajax.errors.js';
import { platformOf } from '../../platform/platform-of.js';
import type { AjaxMessage } from '../ajax-message.interface.js';
import type { AppCookies, MessageStorage } from '../message-storage.interface.js';
import { DEFAULT_PENDING_LIMITS, type PendingLimits, pushWithinLimits } from '../pending-limits.js';
import { COOKIE_NAME, expiredCookieHeader, readCookie, setCookieHeader } from './cookie-header.js';
import { type CookieSignerLike, HmacCookieSigner, messagesKeyOf, messagesSignerOf, openCookieValue, sealCookieValue } from './cookie-signer.js';
import { fitMessages, messagesOfPayload } from './message-cookie-value.js';

/** Options of `CookieMessageStorage`. */
export interface CookieMessageStorageOptions {
  /**
   * What signs the cookie: a random string of 32 characters or more, kept out
   * of the code and the same on every instance; or a list of them, the first
   * signing and any verifying (to rotate, put the new one first, and drop the
   * old one once the cookies it signed are gone). Default: keys derived from
   * the app's `cookies.secret` (`NestFactory.create(AppModule, { cookies: { secret } })`,
   * Nest 12.1 and later), so that the cookie is never a signed value the app
   * accepts for a cookie of its own; with neither, the app fails to start.
   */
  secret?: string | readonly string[];
  /** The cookie's name. Default: `'nestjs-ajax.messages'`. */
  cookieName?: string;
  /**
   * Most bytes of the cookie's value, encoded and signed; past it the oldest
   * messages are dropped (logged). Browsers keep 4,096 bytes of name and value.
   * Default: 2,048, as Django's cookie storage.
   */
  maxBytes?: number;
}

/** One request's view of the cookie: read once, written once, as its headers go out. */
interface CookieState {
  list: AjaxMessage[];
  /** The messages the request's cookie held: any others in `list` were added by this request. */
  readonly loaded: readonly AjaxMessage[];
  /** The request came with the cookie, so an emptied list must expire it. */
  readonly hadCookie: boolean;
  /** The list differs from the request's cookie: the response must say so. */
  changed: boolean;
  /** The response has been asked to carry the cookie. */
  asked: boolean;
  /** The response's headers have gone: the cookie can change no more. */
  sent: boolean;
}

const NO_MESSAGES: readonly AjaxMessage[] = Object.freeze([]);
const MIN_SECRET_LENGTH = 32;
/** What browsers keep of a cookie's name and value together (RFC 6265 §6.1). */
const BROWSER_COOKIE_BYTES = 4096;
/** A value that cannot hold one short message is a mistake: the signature alone takes 44. */
const MIN_MAX_BYTES = 128;

/**
 * Pending messages in a signed cookie, for apps with no server-side
 * session (Django's `CookieStorage`): a message added before a redirect
 * travels in the visitor's browser and comes back with the next request,
 * whose JSON response delivers it; the cookie then expires.
 *
 * The cookie (`HttpOnly`, `SameSite=Lax`, `Path=/`, `Secure` over HTTPS as
 * the app's trust of proxies says) is signed with HMAC-SHA256 and read from
 * the `Cookie` header by the storage itself: no cookie-parser or
 * `@fastify/cookie`. One that was altered, is not signed with one of the
 * secrets, or cannot be read is ignored (logged once per request) and cleared;
 * the visitor never gets an error for it. A request reads it at most once,
 * keeps the list in memory, and writes it once, just before its response's
 * headers go out, only if the list changed. The value keeps within `maxBytes`
 * by dropping the oldest messages, beside `messages.maxPending` and
 * `messages.maxPendingBytes`. A message added after the headers went out (in
 * a stream) cannot go in the cookie and is logged as lost; on Fastify, so is
 * one added for an answer written to the raw response (`@Sse()`, a hijacked
 * reply), which passes no hook.
 *
 * What it cannot promise: a visitor's requests running at the same time each
 * read the cookie as the browser sent it, and the browser keeps whichever
 * response's cookie comes last. So a message pending when they start can be
 * delivered by each of them (twice), and a message one of them adds can be
 * overwritten by the other's cookie (lost). One request at a time, every
 * message is delivered once; where a visitor's requests overlap and that
 * matters, a session with `RedisMessageStorage` keeps the promise. The
 * messages are signed, not encrypted: whoever holds the browser can read them.
 *
 * @example
 * AjaxModule.forRoot({ messages: { storage: new CookieMessageStorage({ secret: process.env.MESSAGES_SECRET }) } })
 * // Nest 12.1+: NestFactory.create(AppModule, { cookies: { secret } }) and new CookieMessageStorage() use the app's.
 */
export class CookieMessageStorage implements MessageStorage {
  private readonly logger = new Logger('AjaxMessages');
  private readonly cookieName: string;
  private readonly maxBytes: number;
  /** Made of `secret`; without one, made at start-up from the app's signer (`messagesSignerOf()`). */
  private signer: CookieSignerLike | undefined;
  private readonly ownSecret: boolean;
  private readonly states = new WeakMap<AjaxRequest, CookieState>();

  constructor(options: CookieMessageStorageOptions = {}) {
    const { secret, cookieName = 'nestjs-ajax.messages', maxBytes = 2048 } = options ?? {};
    if (typeof cookieName !== 'string' || !COOKIE_NAME.test(cookieName)) {
      throw new AjaxConfigurationError(
        `CookieMessageStorage option "cookieName" must be a cookie name (letters, digits and !#$%&'*+-.^_\`|~), such as 'nestjs-ajax.messages'; ` +
          `got ${describeValue(cookieName)}.`,
      );
    }
    const room = BROWSER_COOKIE_BYTES - cookieName.length - 1;
    if (!Number.isInteger(maxBytes) || maxBytes < MIN_MAX_BYTES || maxBytes > room) {
      throw new AjaxConfigurationError(
        `CookieMessageStorage option "maxBytes" must be a whole number from ${MIN_MAX_BYTES} to ${room} (browsers keep ${BROWSER_COOKIE_BYTES} bytes ` +
          `of a cookie's name and value); got ${describeValue(maxBytes)}. The default is 2048.`,
      );
    }
    this.cookieName = cookieName;
    this.maxBytes = maxBytes;
    this.ownSecret = secret !== undefined;
    this.signer = secret === undefined ? undefined : new HmacCookieSigner(checkedSecrets(secret).map((each) => messagesKeyOf(each)));
  }

  /**
   * Without a secret of its own, the storage signs with keys derived from the
   * app's `cookies.secret` (`messagesSignerOf()`): the start-up fails when
   * there is none, or when the app's signer does not show its secrets.
   */
  useAppCookies(cookies: AppCookies): void {
    if (this.ownSecret) return;
    if (!cookies.signer) throw new AjaxConfigurationError(NO_SECRET);
    const signer = messagesSignerOf(cookies.signer);
    if (!signer) {
      throw new AjaxConfigurationError(
        "CookieMessageStorage cannot derive keys of its own from the app's cookie signer, which does not show its secrets as Nest's CookieSigner does. " +
          'Pass the storage a secret of its own: new CookieMessageStorage({ secret }).',
      );
    }
    this.signer = signer;
  }

  add(req: AjaxRequest, message: AjaxMessage, limits: PendingLimits = DEFAULT_PENDING_LIMITS): void {
    const state = this.stateOf(req);
    if (!this.willWrite(req, state)) {
      this.logger.warn(`A message was added after the response's headers went out, so it cannot go in the messages cookie and is lost: ${texts([message])}.`);
      return;
    }
    pushWithinLimits(req, state.list, message, limits);
    // Not kept when too large on its own, and then nothing else changed.
    if (state.list[state.list.length - 1] === message) state.changed = true;
  }

  peek(req: AjaxRequest): readonly AjaxMessage[] {
    const list = this.stateOf(req).list;
    return list.length === 0 ? NO_MESSAGES : [...list];
  }

  /** The pending messages, removed; after the headers went out, they stay in the visitor's cookie. */
  take(req: AjaxRequest): readonly AjaxMessage[] {
    const state = this.stateOf(req);
    const taken = state.list;
    if (taken.length === 0) return NO_MESSAGES;
    state.list = [];
    if (this.willWrite(req, state)) state.changed = true;
    return taken;
  }

  /** The messages `matches` picks, removed; the others stay in the cookie, in order. */
  takeMatching(req: AjaxRequest, matches: (message: AjaxMessage) => boolean): readonly AjaxMessage[] {
    const state = this.stateOf(req);
    const taken: AjaxMessage[] = [];
    const left: AjaxMessage[] = [];
    for (const message of state.list) (matches(message) ? taken : left).push(message);
    if (taken.length === 0) return NO_MESSAGES;
    state.list = left;
    if (this.willWrite(req, state)) state.changed = true;
    return taken;
  }

  /** The request's state, its cookie read the first time. */
  private stateOf(req: AjaxRequest): CookieState {
    let state = this.states.get(req);
    if (state) return state;
    const loaded = this.read(req);
    const list = loaded ?? [];
    state = { list, loaded: [...list], hadCookie: loaded !== undefined, changed: false, asked: false, sent: false };
    this.states.set(req, state);
    // A cookie that could not be used is cleared.
    if (loaded !== undefined && loaded.length === 0 && this.willWrite(req, state)) state.changed = true;
    return state;
  }

  /** The messages of the request's cookie; `undefined` without one, none when it could not be used. */
  private read(req: AjaxRequest): AjaxMessage[] | undefined {
    const signer = this.signer;
    if (!signer) throw new AjaxConfigurationError(NO_SECRET);
    const value = readCookie(req.headers.cookie, this.cookieName);
    if (value === undefined) return undefined;
    const payload = openCookieValue(signer, this.cookieName, value);
    const read = payload === undefined ? { unreadable: BAD_SIGNATURE } : messagesOfPayload(payload);
    if ('messages' in read) return read.messages;
    this.logger.warn(`The messages cookie "${this.cookieName}" of a request was ignored and cleared: ${read.unreadable}.`);
    return [];
  }

  /**
   * Asks the response, once, to carry the cookie as its headers go out;
   * whether it still can.
   */
  private willWrite(req: AjaxRequest, state: CookieState): boolean {
    if (state.asked) return !state.sent;
    state.asked = true;
    const platform = platformOf(req);
    if (!platform.setCookieAtHeaders(req, () => this.cookieAtHeaders(req, state))) {
      state.sent = true;
      return false;
    }
    platform.onResponseOver(req, () => this.reportUnwritten(state));
    return true;
  }

  /** The `Set-Cookie` header of the response, as its headers go out: none when nothing changed. */
  private cookieAtHeaders(req: AjaxRequest, state: CookieState): string | undefined {
    state.sent = true;
    if (!state.changed) return undefined;
    const secure = platformOf(req).isSecure(req);
    if (state.list.length > 0) {
      const fitted = fitMessages(state.list, this.maxBytes, (payload) => sealCookieValue(this.signer!, this.cookieName, payload));
      if (fitted.dropped > 0) {
        const tooLarge = fitted.tooLarge > 0 ? ` (${fitted.tooLarge} of them larger than that on their own)` : '';
        this.logger.warn(
          `${fitted.dropped} pending message(s) were dropped, the oldest first, to keep the messages cookie "${this.cookieName}" ` +
            `within ${this.maxBytes} bytes (CookieMessageStorage maxBytes)${tooLarge}.`,
        );
      }
      if (fitted.value !== undefined) return setCookieHeader(this.cookieName, fitted.value, secure);
    }
    return state.hadCookie ? expiredCookieHeader(this.cookieName, secure) : undefined;
  }

  /** A response over without its headers (aborted, or written past the platform's hooks): what this request added is lost. */
  private reportUnwritten(state: CookieState): void {
    if (state.sent) return;
    const lost = state.list.filter((message) => !state.loaded.includes(message));
    if (lost.length === 0) return;
    this.logger.warn(`${lost.length} message(s) could not go in the messages cookie, as the response went out without it, and are lost: ${texts(lost)}.`);
  }
}

const BAD_SIGNATURE = 'its signature does not verify (altered, unsigned, or signed with a secret no longer given)';

const NO_SECRET =
  'CookieMessageStorage has no secret to sign its cookie with. Pass one, new CookieMessageStorage({ secret: process.env.MESSAGES_SECRET }) ' +
  '(32 characters or more), or set the app\'s cookies.secret, NestFactory.create(AppModule, { cookies: { secret } }) (Nest 12.1 and later), ' +
  'which the storage then uses.';

/** The secrets, checked: each long enough to resist guessing. Never echoed in the error, which may reach a log. */
function checkedSecrets(secret: unknown): string[] {
  const secrets: unknown[] = Array.isArray(secret) ? secret : [secret];
  const bad = secrets.length === 0 ? 'an empty list' : secrets.map(describeSecret).find((problem) => problem !== undefined);
  if (bad === undefined) return secrets as string[];
  throw new AjaxConfigurationError(
    `CookieMessageStorage option "secret" must be a random string of ${MIN_SECRET_LENGTH} characters or more (or a list of them, the first signing), ` +
      `kept out of the code; got ${bad}. Make one with: node -e "console.log(require('node:crypto').randomBytes(32).toString('base64url'))", ` +
      'and pass it from the environment: new CookieMessageStorage({ secret: process.env.MESSAGES_SECRET }).',
  );
}

function describeSecret(secret: unknown): string | undefined {
  if (typeof secret !== 'string') return describeValue(secret);
  if (secret.length < MIN_SECRET_LENGTH) return secret === '' ? 'an empty string' : `a string of ${secret.length} characters`;
  return undefined;
}

function texts(messages: readonly AjaxMessage[]): string {
  return messages.map((message) => JSON.stringify(message.message)).join(', ');
}
