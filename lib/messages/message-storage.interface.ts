import type { AjaxRequest } from '../ajax-request.interface.js';
import type { AjaxMessage } from './ajax-message.interface.js';

/** A value now, or later: storages backed by a network store answer asynchronously. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Where pending messages live between the moment they are added and the JSON
 * response that delivers them. The default keeps them in the session; a storage
 * with atomic append and take-all (e.g. on Redis) can replace it without any
 * change to the guards, the filter or the interceptor, which only call these
 * three methods.
 * @internal
 */
export interface MessageStorage {
  /** Keeps one more message for this request's visitor. */
  add(req: AjaxRequest, message: AjaxMessage): MaybePromise<void>;
  /** The pending messages, oldest first, left in place. */
  peek(req: AjaxRequest): MaybePromise<readonly AjaxMessage[]>;
  /** The pending messages, oldest first, removed in the same step. */
  take(req: AjaxRequest): MaybePromise<readonly AjaxMessage[]>;
}
