import type { AjaxRequest } from '../ajax-request.interface.js';
import type { AjaxMessage } from './ajax-message.interface.js';
import type { CookieSignerLike } from './cookie/cookie-signer.js';
import type { PendingLimits } from './pending-limits.js';

/** A value now, or later: a storage on a network store answers asynchronously. */
export type MaybePromise<T> = T | Promise<T>;

/** The session a visitor had before `req.session.regenerate()` (passport's log-in and log-out call it) gave them a new one. */
export interface PreviousSession {
  /** The old session's id. */
  readonly sessionID?: string;
  /** The old session object. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly session?: Record<string, any> | null;
  /**
   * Whether the regenerating request added `message` (the same object) to
   * this storage through the module (`MessagesService`, `@Messages()`,
   * `req.flash()`): those are the messages a regenerate carries. The module
   * sets it as it calls `regenerated()`; absent, nothing tells which
   * messages are the request's.
   */
  readonly addedByRequest?: (message: AjaxMessage) => boolean;
}

/**
 * What the app says of cookies, as the module finds it when the app starts
 * (see `MessageStorage.useAppCookies()`).
 */
export interface AppCookies {
  /**
   * The signer of the app's `cookies.secret`
   * (`NestFactory.create(AppModule, { cookies: { secret } })`, Nest 12.1 and
   * later); absent when the app has none.
   */
  readonly signer?: CookieSignerLike;
}

/**
 * Where pending messages live between the moment they are added and the JSON
 * response that delivers them: the `messages.storage` option. The module
 * ships `SessionMessageStorage` (the default), `RedisMessageStorage` and
 * `CookieMessageStorage`.
 *
 * A storage may answer synchronously or with a promise. A failure should be a
 * `MessagesUnavailableException`, which the module answers with 503; the
 * storage should also bound the time it takes, so that no request hangs.
 *
 * @example
 * AjaxModule.forRoot({ messages: { storage: new RedisMessageStorage(redisClient) } })
 */
export interface MessageStorage {
  /**
   * Keeps one more message for this request's visitor, after those already
   * kept, and then no more than `limits` allow, dropping the oldest.
   */
  add(req: AjaxRequest, message: AjaxMessage, limits: PendingLimits): MaybePromise<void>;
  /** The pending messages, oldest first, left in place. */
  peek(req: AjaxRequest): MaybePromise<readonly AjaxMessage[]>;
  /** The pending messages, oldest first, removed in the same atomic step. */
  take(req: AjaxRequest): MaybePromise<readonly AjaxMessage[]>;
  /**
   * The pending messages `matches` picks, removed; the others stay pending,
   * in their order. `matches` is called once per pending message, oldest
   * first, so it may decide by what it picked before (the room left in a
   * header). As with `take()`, each message is taken
   * once, even by requests of one visitor running at the same time. What
   * `req.flash(type)` takes one type's messages with (the `flash` option
   * requires it), and an htmx answer the oldest that fit its `HX-Trigger`
   * header (without it, the module takes them all and adds back those that
   * do not fit, after any added since); optional otherwise.
   */
  takeMatching?(req: AjaxRequest, matches: (message: AjaxMessage) => boolean): MaybePromise<readonly AjaxMessage[]>;
  /**
   * Moves the messages this request added, where still pending, from the visitor's previous session into the one
   * `req.session.regenerate()` just gave them: passport's `req.login()`
   * regenerates the session after a handler added "Welcome back". Messages
   * pending from earlier requests stay with the old session: a regenerate is
   * also a log-out (passport's `req.logout()`), after which they belong to
   * nobody at this browser. `previous.addedByRequest()` tells this
   * request's messages (those it added through the module, by identity); a
   * message the storage was handed by its own `add()` called directly is not
   * among them. Optional: without it, nothing is carried.
   */
  regenerated?(req: AjaxRequest, previous: PreviousSession): MaybePromise<void>;
  /**
   * Called as an answer of the module's replaces the one `req` was building,
   * before anything of it was sent: the exception filter's error answer (a
   * handler threw after it took messages), or the module's 503 after a
   * write failed. What this request's takes returned until now went into an
   * answer that will never go out; a storage that holds taken messages until
   * their response is written (`RedisMessageStorage`) puts them back now,
   * so that the error answer, which takes the pending messages after this,
   * carries them, or the visitor's next request does. Optional: without it,
   * what a handler took before it threw is lost, as with the session storage.
   */
  answerReplaced?(req: AjaxRequest): void;
  /**
   * Called once as the app starts, before any request, with what the app says
   * of cookies: a storage that keeps messages in a cookie signs it with keys
   * derived from the app's secrets when it was given none of its own. A throw (an
   * `AjaxConfigurationError` saying what to set) fails the start-up.
   * Optional: without it, nothing is asked.
   */
  useAppCookies?(cookies: AppCookies): void;
}
