import { Logger } from '@nestjs/common';
import type { AjaxRequest } from '../../ajax-request.interface.js';
import { type AddedMessage, addedThrough, carryMessages } from '../../messages/carry-messages.js';
import type { AjaxMessage } from '../../messages/ajax-message.interface.js';
import type { MessageStorage, PreviousSession } from '../../messages/message-storage.interface.js';

/** The storages whose messages a session store carries through `regenerate()`, kept on the store itself. */
const CARRIED = Symbol('nestjs-ajax:carried-storages');

type Callback = (error?: unknown) => void;

/** express-session's store, as `req.sessionStore` gives it. */
interface RegeneratingStore {
  regenerate(req: AjaxRequest, callback: Callback): void;
  [CARRIED]?: Set<MessageStorage>;
}

type TrackedRequest = AjaxRequest & { sessionStore?: RegeneratingStore };

const logger = new Logger('AjaxMessages');

/**
 * The messages each request added, for a regenerate later in that request:
 * only those move. A table rather than a property of the request: Express
 * gives each request a V8 hidden class of its own, where adding a property
 * costs more than a table entry (see `RequestSlot`).
 */
const addedBy = new WeakMap<AjaxRequest, AddedMessage[]>();

/**
 * express-session's way to carry messages through `req.session.regenerate()`
 * (see `carryMessages()`): `Session#regenerate()` goes through its store's
 * `regenerate(req, fn)`, one object for the whole app. It is wrapped once,
 * by the first message added; each message added is noted under its request.
 * @internal
 */
export function carryOnStoreRegenerate(req: AjaxRequest, storage: MessageStorage, message: AjaxMessage): void {
  if (!storage.regenerated) return;
  // Noted before the store is looked at: a message added before the session middleware ran joins the session later.
  const added = addedBy.get(req);
  if (added) added.push({ storage, message });
  else addedBy.set(req, [{ storage, message }]);
  const store = (req as TrackedRequest).sessionStore;
  if (!store) return;
  const carried = store[CARRIED];
  if (carried) {
    carried.add(storage);
    return;
  }
  if (typeof store.regenerate !== 'function') {
    logger.warn('The session store has no regenerate(): messages added before a session is regenerated (as at log-in) stay with the old session.');
    return;
  }
  const storages = (store[CARRIED] = new Set([storage]));
  const regenerate = store.regenerate;
  store.regenerate = function regenerateCarryingMessages(this: RegeneratingStore, request: TrackedRequest, callback: Callback): void {
    const previous: PreviousSession = { sessionID: request.sessionID, session: request.session };
    regenerate.call(this, request, (error?: unknown) => {
      if (error) return callback(error);
      const moved = carryMessages(storages, request, previous, (storage, message) => addedThrough(addedBy.get(request), storage, message));
      if (!moved) return callback();
      void moved.then(() => callback());
    });
  };
}
