import { Logger } from '@nestjs/common';
import type { AjaxRequest } from '../../ajax-request.interface.js';
import { whenReady } from '../../maybe-promise.js';
import type { ResolvedAjaxOptions, ResolvedMessagesOptions } from '../../options/resolve-ajax-options.js';
import type { HttpPlatform } from '../../platform/http-platform.interface.js';
import type { AjaxMessage } from '../ajax-message.interface.js';
import type { MaybePromise } from '../message-storage.interface.js';
import { pendingWrites } from '../pending-writes.js';
import { makePrivate } from '../private-response.js';
import { hxTriggerValue } from './hx-trigger-value.js';

const NO_MESSAGES: readonly AjaxMessage[] = Object.freeze([]);
const logger = new Logger('AjaxMessages');

/**
 * Puts the oldest pending messages that fit in the answer's `HX-Trigger`
 * header, with the app's own events (see `hxTriggerValue()`), and makes the
 * answer private, as a JSON body that carries them is; those that do not
 * fit stay pending, in order, for the next answer. For an htmx request whose
 * answer has no JSON body to carry them, before its headers go out.
 *
 * It first waits for this request's own writes of messages, as a JSON body
 * does; if one failed, the platform answers 503 and nothing is taken. It
 * never rejects: messages the storage cannot give are left where they are,
 * and the answer goes without them. Synchronous when the storage is.
 * @internal
 */
export function putMessagesInHeader(platform: HttpPlatform, req: AjaxRequest, res: object, options: ResolvedAjaxOptions): MaybePromise<void> {
  const value = hxTriggerValue(platform.getHeader(res, 'HX-Trigger'));
  if (!value) return undefined;
  const put = (taken: readonly AjaxMessage[]): void => {
    if (taken.length === 0) return;
    platform.setHeader(res, 'HX-Trigger', value.with(taken));
    makePrivate(platform, res);
  };
  let taken: MaybePromise<readonly AjaxMessage[]>;
  try {
    const writes = pendingWrites(req);
    const take = () => takeFitting(options.messages, req, (pending) => value.fitting(pending));
    taken = writes ? writes.then(take, () => NO_MESSAGES) : take();
  } catch (error) {
    return unread(error);
  }
  return taken instanceof Promise ? taken.then(put, unread) : put(taken);
}

/**
 * The oldest pending messages that `fitting` counts as fitting, taken with
 * the storage's `takeMatching()` (asked in order, it picks while they fit and
 * none after the first that does not); without it, a take of them all that
 * adds back those that do not fit, after any added since.
 */
function takeFitting(
  settings: ResolvedMessagesOptions,
  req: AjaxRequest,
  fitting: (pending: readonly AjaxMessage[]) => number,
): MaybePromise<readonly AjaxMessage[]> {
  const storage = settings.storage;
  if (storage.takeMatching) {
    const picked: AjaxMessage[] = [];
    let full = false;
    return storage.takeMatching(req, (message) => {
      if (!full && fitting([...picked, message]) > picked.length) {
        picked.push(message);
        return true;
      }
      full = true;
      return false;
    });
  }
  return whenReady(storage.take(req), (pending) => {
    const taken = Math.max(0, fitting(pending));
    if (taken >= pending.length) return pending;
    return whenReady(addBack(settings, req, pending.slice(taken)), () => pending.slice(0, taken));
  });
}

/** Adds the messages again, one after another, in their order. */
function addBack(settings: ResolvedMessagesOptions, req: AjaxRequest, messages: readonly AjaxMessage[]): MaybePromise<void> {
  let chain: MaybePromise<void> = undefined;
  for (const message of messages) chain = whenReady(chain, () => settings.storage.add(req, message, settings.limits));
  return chain;
}

function unread(error: unknown): void {
  logger.error(`Pending messages could not be read for an htmx answer, which goes without them: ${(error as Error)?.message ?? error}`);
}
