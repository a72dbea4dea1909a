import type { AjaxRequest } from '../ajax-request.interface.js';
import type { AjaxMessage } from './ajax-message.interface.js';

/** A value now, or later: a storage on a network store answers asynchronously. */
export type MaybePromise<T> = T | Promise<T>;

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
  /** Keeps one more message for this request's visitor, after those already kept. */
  add(req: AjaxRequest, message: AjaxMessage): MaybePromise<void>;
  /** The pending messages, oldest first, left in place. */
  peek(req: AjaxRequest): MaybePromise<readonly AjaxMessage[]>;
  /** The pending messages, oldest first, removed in the same atomic step. */
  take(req: AjaxRequest): MaybePromise<readonly AjaxMessage[]>;
}
