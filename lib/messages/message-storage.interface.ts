import type { AjaxRequest } from '../ajax-request.interface.js';
import type { AjaxMessage } from './ajax-message.interface.js';

/**
 * Where pending messages live between the moment they are added and the JSON
 * response that delivers them. The guards, the filter and the interceptor only
 * call these three methods, so another storage (one with atomic append and
 * take-all, say) can replace the session without touching them.
 * @internal
 */
export interface MessageStorage {
  /** Keeps one more message for this request's visitor. */
  add(req: AjaxRequest, message: AjaxMessage): void;
  /** The pending messages, oldest first, left in place. */
  peek(req: AjaxRequest): readonly AjaxMessage[];
  /** The pending messages, oldest first, removed in the same step. */
  take(req: AjaxRequest): readonly AjaxMessage[];
}
