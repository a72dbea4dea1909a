import type { AjaxRequest } from '../ajax-request.interface.js';
import type { AjaxMessage } from './ajax-message.interface.js';
import type { PendingLimits } from './pending-limits.js';

/** A value now, or later: a storage on a network store answers asynchronously. */
export type MaybePromise<T> = T | Promise<T>;

/** The session a visitor had before `req.session.regenerate()` (as passport's log-in calls it) gave them a new one. */
export interface PreviousSession {
  /** The old session's id. */
  readonly sessionID?: string;
  /** The old session object. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly session?: Record<string, any> | null;
}

/**
 * Where pending messages live between the moment they are added and the JSON
 * response that delivers them: the `messages.storage` option. The module
 * ships `SessionMessageStorage` (the default) and `RedisMessageStorage`.
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
   * Moves the pending messages of the visitor's previous session into the
   * one `req.session.regenerate()` just gave them (passport's `req.login()`
   * does this): it is the same visitor. Optional: without it, they stay with
   * the old session, which nobody reads again.
   */
  regenerated?(req: AjaxRequest, previous: PreviousSession): MaybePromise<void>;
}
