import type { AjaxRequest } from '../../ajax-request.interface.js';
import { carryMessages } from '../../messages/carry-messages.js';
import type { MessageStorage, PreviousSession } from '../../messages/message-storage.interface.js';

/** The storages whose messages a session class carries through `regenerate()`, kept on its prototype. */
const CARRIED = Symbol('nestjs-ajax:carried-storages');

type Regenerate = (this: FastifySession, ...args: unknown[]) => unknown;

/** A session of `@fastify/session` or `@fastify/secure-session`, as its class's prototype sees it. */
interface FastifySession {
  sessionId?: string;
  [REQUEST]?: AjaxRequest;
  /** `@fastify/secure-session`'s copy of its data. */
  data?: () => Record<string, unknown>;
}

interface SessionPrototype {
  regenerate?: Regenerate;
  [CARRIED]?: Set<MessageStorage>;
}

/**
 * Which request a session of `@fastify/session` belongs to, for the sessions
 * a message was added to: kept on the session under a symbol, not
 * enumerable, so that no store, hash or copy of the session sees it. A
 * `WeakMap` from session to request did the same, but had V8 keep those
 * requests' objects through its young collections, which then took three
 * times as long (bench/RESULTS.md, `npm run bench:gc`).
 */
const REQUEST = Symbol('nestjs-ajax:request-of-session');

/**
 * Fastify's sessions' way to carry messages through a regenerate (see
 * `carryMessages()`): the session class's `regenerate()` is wrapped once,
 * on its prototype, by the first message added.
 *
 * - `@fastify/session` makes a new session object (by callback or promise):
 *   the messages move once it is in place, from the old session.
 * - `@fastify/secure-session` empties the same session, synchronously, and
 *   keeps no id: the messages are read from a copy made just before.
 * @internal
 */
export function carryOnSessionRegenerate(req: AjaxRequest, storage: MessageStorage): void {
  const session = req.session;
  if (!session || !storage.regenerated) return;
  // Not on @fastify/secure-session's, whose regenerate() runs on the session behind its proxy and empties it in place.
  if (typeof (session as FastifySession).data !== 'function' && Object.isExtensible(session)) {
    Object.defineProperty(session, REQUEST, { value: req, configurable: true, writable: true });
  }
  const prototype = Object.getPrototypeOf(session) as SessionPrototype | null;
  if (!prototype || typeof prototype.regenerate !== 'function') return;
  const carried = prototype[CARRIED];
  if (carried) {
    carried.add(storage);
    return;
  }
  const storages = new Set([storage]);
  Object.defineProperty(prototype, CARRIED, { value: storages });
  const regenerate = prototype.regenerate;
  prototype.regenerate = function regenerateCarryingMessages(this: FastifySession, ...args: unknown[]): unknown {
    const request = this[REQUEST];
    if (request) return regenerateNewSession.call(this, regenerate, args, storages, request);
    if (typeof this.data !== 'function') return regenerate.apply(this, args);
    // @fastify/secure-session calls its methods on the session behind its proxy: the same session, emptied.
    const previous: PreviousSession = { session: this.data() };
    const result = regenerate.apply(this, args);
    void carryMessages(storages, { method: 'GET', headers: {}, session: this as Record<string, unknown> }, previous);
    return result;
  };
}

function regenerateNewSession(
  this: FastifySession,
  regenerate: Regenerate,
  args: unknown[],
  storages: Set<MessageStorage>,
  request: AjaxRequest,
): unknown {
  const previous: PreviousSession = { sessionID: this.sessionId, session: this as Record<string, unknown> };
  const callback = typeof args[args.length - 1] === 'function' ? (args.pop() as (error?: unknown) => void) : undefined;
  if (!callback) {
    return (regenerate.apply(this, args) as Promise<void>).then(() => carryMessages(storages, request, previous));
  }
  return regenerate.call(this, ...args, (error?: unknown) => {
    if (error) return callback(error);
    const moved = carryMessages(storages, request, previous);
    if (!moved) return callback();
    void moved.then(() => callback());
  });
}
