import { Logger } from '@nestjs/common';
import type { AjaxRequest } from '../ajax-request.interface.js';
import type { AjaxMessage } from './ajax-message.interface.js';
import type { MessageStorage, PreviousSession } from './message-storage.interface.js';

const logger = new Logger('AjaxMessages');

/** A message a request added, and the storage it went to, as the platform notes it (`keepAddedMessages()`). @internal */
export interface AddedMessage {
  readonly storage: MessageStorage;
  readonly message: AjaxMessage;
}

/** Whether `storage` kept `message` (the same object) for the request whose additions `added` lists. @internal */
export function addedThrough(added: readonly AddedMessage[] | null | undefined, storage: MessageStorage, message: AjaxMessage): boolean {
  return added?.some((each) => each.message === message && each.storage === storage) === true;
}

/** Whether the regenerating request added `message` through `storage`: each storage carries its own messages only. @internal */
export type AddedByRequest = (storage: MessageStorage, message: AjaxMessage) => boolean;

/**
 * Moves the messages a request added into the session a regenerate just gave
 * its visitor, for every storage that can (`regenerated()`): passport's
 * `req.login()` regenerates the session (against session fixation) after a
 * handler added "Welcome back", and that message is for the same person at
 * the same browser. Only this request's messages: a regenerate is also a
 * log-out, after which the messages pending from earlier requests may be the
 * signed-out user's; they stay with the old session. (Django flushes the
 * session at log-out for the same reason.)
 *
 * `added` says which messages the request added through which storage (the
 * platform noted them, see `keepAddedMessages()`); each storage is handed
 * the previous session with `addedByRequest()` for its own. A move that
 * fails is logged and never fails the log-in; the result is a promise only
 * when some storage answers with one.
 * @internal
 */
export function carryMessages(
  storages: Iterable<MessageStorage>,
  req: AjaxRequest,
  previous: PreviousSession,
  added: AddedByRequest,
): void | Promise<void> {
  const waiting: Promise<void>[] = [];
  for (const storage of storages) {
    // Two apps in one process share a session class or store, and so its storages: each is told of its own messages.
    const moved = carryOne(storage, req, { ...previous, addedByRequest: (message) => added(storage, message) });
    if (moved) waiting.push(moved);
  }
  return waiting.length === 0 ? undefined : Promise.all(waiting).then(() => undefined);
}

function carryOne(storage: MessageStorage, req: AjaxRequest, previous: PreviousSession): Promise<void> | undefined {
  const lost = (error: unknown): void => {
    logger.warn(`Messages added before the session was regenerated could not be carried into the new one: ${(error as Error)?.message ?? error}`);
  };
  try {
    const moved = storage.regenerated?.(req, previous);
    return moved instanceof Promise ? moved.catch(lost) : undefined;
  } catch (error) {
    lost(error);
    return undefined;
  }
}
