import { format } from 'node:util';
import type { AjaxRequest } from '../ajax-request.interface.js';
import { whenReady } from '../maybe-promise.js';
import type { ResolvedMessagesOptions } from '../options/resolve-ajax-options.js';
import type { AjaxMessage } from './ajax-message.interface.js';
import { askedFlashType, flashExtraTagsOf, flashLevelOf, flashTypeOf } from './flash-types.js';
import type { MaybePromise } from './message-storage.interface.js';
import { afterOwnWrites, pendingWrites } from './pending-writes.js';
import { PerRequestMessages } from './per-request-messages.js';

/** `req.flash` as the platforms install it: called on the request. @internal */
export type FlashMethod = (this: AjaxRequest, type?: unknown, message?: unknown, ...formatArgs: unknown[]) => unknown;

/**
 * The `req.flash()` of an app with `flash: true`: connect-flash's (0.1.1),
 * call for call and answer for answer, over the module's messages. One
 * function for the app, installed where every request inherits it, so a
 * request pays nothing for it until it calls it.
 *
 * Unlike connect-flash, a request without a session does not throw: its
 * messages live for the request, as the module's always do.
 * @internal
 */
export function connectFlash(settings: ResolvedMessagesOptions): FlashMethod {
  return function flash(this: AjaxRequest, type?: unknown, message?: unknown, ...formatArgs: unknown[]): unknown {
    if (typeof this !== 'object' || this === null) {
      throw new TypeError('req.flash() must be called on its request, as req.flash(type, message), not as a detached function.');
    }
    // connect-flash's own tests: a type and a message add, a type alone reads it, nothing reads all.
    if (type && message) return add(this, settings, String(type), message, formatArgs);
    if (type) return takeType(this, settings, askedFlashType(String(type)));
    return takeAll(this, settings);
  };
}

/** Adds the message (each text of an array; a formatted text with more arguments), then counts that type's. */
function add(req: AjaxRequest, settings: ResolvedMessagesOptions, type: string, message: unknown, formatArgs: unknown[]): number | PromiseLike<number> {
  const texts: unknown[] = formatArgs.length > 0 ? [format(message, ...formatArgs)] : Array.isArray(message) ? message : [message];
  // Through the messages API, as @Messages() adds: the request's level, the limits, a regenerate's carry, the write's tracking.
  const messages = new PerRequestMessages(req, settings);
  const level = flashLevelOf(type);
  const extraTags = flashExtraTagsOf(type);
  for (const text of texts) messages.add(level, text as string, extraTags);
  return countOfType(req, settings, askedFlashType(type));
}

/**
 * How many messages of `type` are pending, as connect-flash answers an
 * addition. With an asynchronous storage, counting costs a round trip, so
 * it is made only when the answer is read: passport never reads it.
 */
function countOfType(req: AjaxRequest, settings: ResolvedMessagesOptions, type: string): number | PromiseLike<number> {
  const count = (pending: readonly AjaxMessage[]): number => pending.filter((message) => flashTypeOf(message, settings.levelTags) === type).length;
  const writes = pendingWrites(req);
  if (writes) return whenAsked(() => writes.then(() => settings.storage.peek(req)).then(count));
  const counted = whenReady(settings.storage.peek(req), count);
  // Nobody may read it: a failure is the reader's to see, never an unhandled rejection.
  if (counted instanceof Promise) counted.catch(() => undefined);
  return counted;
}

/** `req.flash(type)`: that type's texts, taken after this request's own writes (as `consume()` takes), the others left pending. */
function takeType(req: AjaxRequest, settings: ResolvedMessagesOptions, type: string): MaybePromise<string[]> {
  const storage = settings.storage;
  const matches = (message: AjaxMessage): boolean => flashTypeOf(message, settings.levelTags) === type;
  // resolveAjaxOptions() refuses flash: true with a storage that cannot take some messages only.
  return whenReady(afterOwnWrites(req, () => storage.takeMatching!(req, matches)), (taken) => taken.map((message) => message.message));
}

/** `req.flash()`: every pending text, grouped by type, the groups in the order of their oldest message. */
function takeAll(req: AjaxRequest, settings: ResolvedMessagesOptions): MaybePromise<Record<string, string[]>> {
  return whenReady(afterOwnWrites(req, () => settings.storage.take(req)), (taken) => {
    const groups = new Map<string, string[]>();
    for (const message of taken) {
      const type = flashTypeOf(message, settings.levelTags);
      const texts = groups.get(type);
      if (texts) texts.push(message.message);
      else groups.set(type, [message.message]);
    }
    // fromEntries defines each type as an own property: a type named "__proto__" stays a type.
    return Object.fromEntries(groups);
  });
}

/** A promise-like answer whose work starts when it is first awaited, once. */
function whenAsked<T>(work: () => Promise<T>): PromiseLike<T> {
  let started: Promise<T> | undefined;
  return {
    then: (onFulfilled, onRejected) => (started ??= work()).then(onFulfilled, onRejected),
  };
}
