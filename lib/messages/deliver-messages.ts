import type { AjaxRequest } from '../ajax-request.interface.js';
import type { AjaxMessage, JsonMessage } from './ajax-message.interface.js';
import { settleMessagesInBody } from './htmx/htmx-request.js';
import type { MaybePromise, MessageStorage } from './message-storage.interface.js';
import { whenReady } from '../maybe-promise.js';
import { afterOwnWrites } from './pending-writes.js';

const NO_JSON_MESSAGES: readonly JsonMessage[] = Object.freeze([]);

/** Statuses whose responses never have a body (Fetch's "null body status", less 1xx). */
function isNullBodyStatus(status: number): boolean {
  return status === 204 || status === 205 || status === 304;
}

/**
 * Whether a response with this status to this request has a body at all:
 * HEAD, 204, 205 and 304 answers have none, so messages given to them would be lost.
 * @internal
 */
export function responseHasBody(method: string, status: number): boolean {
  return method !== 'HEAD' && !isNullBodyStatus(status);
}

/**
 * Takes every pending message for delivery in a JSON body, in djem's shape:
 * after this request's own writes have settled, so that none is left behind.
 * Synchronous when the storage is (the session), a promise otherwise. An
 * htmx request's answer then owes none in its header.
 * @internal
 */
export function takeJsonMessages(req: AjaxRequest, storage: MessageStorage): MaybePromise<readonly JsonMessage[]> {
  settleMessagesInBody(req);
  const toJson = (taken: readonly AjaxMessage[]): readonly JsonMessage[] =>
    taken.length === 0 ? NO_JSON_MESSAGES : taken.map(({ message, tags }) => ({ message, tags }));
  return whenReady(afterOwnWrites(req, () => storage.take(req)), toJson);
}
