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

const logger = new Logger('AjaxMessages');

/**
 * Makes the request's session store carry this storage's pending messages
 * into the session `req.session.regenerate()` creates: passport's
 * `req.login()` regenerates the session (against session fixation), and the
 * messages added before it, or carried from earlier requests, belong to the
 * same visitor.
 *
 * express-session's `Session#regenerate()` goes through its store's
 * `regenerate(req, fn)`, one object for the whole app: it is wrapped once,
 * the first time the module handles a message of that store's sessions.
 * A store without `regenerate`, or a storage that fails to carry, is logged.
 * @internal
 */
export function carryOnRegenerate(req: AjaxRequest, storage: MessageStorage): void {
  const store = (req as AjaxRequest & { sessionStore?: RegeneratingStore }).sessionStore;
  if (!store || !storage.regenerated) return;
  const carried = store[CARRIED];
  if (carried) {
    if (!carried.has(storage)) carried.add(storage);
    return;
  }
  if (typeof store.regenerate !== 'function') {
    logger.warn('The session store has no regenerate(): messages pending when a session is regenerated (as at log-in) stay with the old session.');
    return;
  }
  const storages = (store[CARRIED] = new Set([storage]));
  const regenerate = store.regenerate;
  store.regenerate = function regenerateCarryingMessages(this: RegeneratingStore, request: AjaxRequest, callback: Callback): void {
    const previous: PreviousSession = { sessionID: request.sessionID, session: request.session };
    regenerate.call(this, request, (error?: unknown) => {
      if (error) return callback(error);
      const moves = [...storages].map((each) => carry(each, request, previous));
      const waiting = moves.filter((move): move is Promise<void> => move instanceof Promise);
      if (waiting.length === 0) return callback();
      void Promise.all(waiting).then(() => callback());
    });
  };
}

/** One storage's move; a failure is logged and never fails the log-in. */
function carry(storage: MessageStorage, req: AjaxRequest, previous: PreviousSession): void | Promise<void> {
  const lost = (error: unknown): void => {
    logger.warn(`Pending messages could not be carried into the regenerated session and stay with the old one: ${(error as Error)?.message ?? error}`);
  };
  try {
    const moved = storage.regenerated?.(req, previous);
    return moved instanceof Promise ? moved.catch(lost) : undefined;
  } catch (error) {
    lost(error);
  }
}
