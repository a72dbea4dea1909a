import { Logger } from '@nestjs/common';
import type { AjaxRequest } from '../ajax-request.interface.js';
import type { MessageStorage, PreviousSession } from './message-storage.interface.js';

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
 * Makes the request's session store carry the messages a request added into
 * the session `req.session.regenerate()` creates: passport's `req.login()` regenerates the session (against session
 * fixation) after a handler added "Welcome back", and that message is for the
 * same person at the same browser.
 *
 * Only this request's messages: a regenerate is also a log-out (passport's
 * `req.logout()`), and the messages pending from earlier requests may then be
 * the signed-out user's, not for whoever signs in next; they stay with the
 * old session. (Django flushes the session at log-out for the same reason.)
 *
 * express-session's `Session#regenerate()` goes through its store's
 * `regenerate(req, fn)`, one object for the whole app: it is wrapped once,
 * by the first message added, and each storage (`regenerated()`) knows which
 * messages the request added, so nothing is kept per request here. A move
 * that fails is logged and never fails the log-in.
 * @internal
 */
export function carryOnRegenerate(req: AjaxRequest, storage: MessageStorage): void {
  const store = (req as TrackedRequest).sessionStore;
  if (!store || !storage.regenerated) return;
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
      const waiting = [...storages].map((each) => carry(each, request, previous)).filter((move) => move instanceof Promise);
      if (waiting.length === 0) return callback();
      void Promise.all(waiting).then(() => callback());
    });
  };
}

/** One storage's move; a failure is logged and never fails the log-in. */
function carry(storage: MessageStorage, req: AjaxRequest, previous: PreviousSession): void | Promise<void> {
  const lost = (error: unknown): void => {
    logger.warn(`Messages added before the session was regenerated could not be carried into the new one: ${(error as Error)?.message ?? error}`);
  };
  try {
    const moved = storage.regenerated?.(req, previous);
    return moved instanceof Promise ? moved.catch(lost) : undefined;
  } catch (error) {
    lost(error);
  }
}
