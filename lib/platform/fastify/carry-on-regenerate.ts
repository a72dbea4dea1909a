import type { AjaxRequest } from '../../ajax-request.interface.js';
import type { AjaxMessage } from '../../messages/ajax-message.interface.js';
import { type AddedByRequest, addedThrough, carryMessages } from '../../messages/carry-messages.js';
import type { MessageStorage, PreviousSession } from '../../messages/message-storage.interface.js';
import { knownStateOf, stateOf } from './request-state.js';

/** The storages whose messages a session class carries through `regenerate()`, kept on its prototype. */
const CARRIED = Symbol('nestjs-ajax:carried-storages');

/**
 * The messages added in this process to a `@fastify/secure-session` session
 * (or before any session plugin ran), by identity, with their storage: that
 * session's `regenerate()` empties it in place and says nothing of its
 * request. It is decoded from the cookie for every request, so the old
 * session's messages found here are this request's own.
 */
const addedWithoutSessionId = new WeakMap<AjaxMessage, MessageStorage>();

/**
 * Notes a message `req` added through `storage`, for a regenerate later in
 * the request, in the request's state (`FastifyRequestState.added`): a
 * field of an object of one shape rather than a table, where a `WeakMap`
 * entry per request and a `WeakSet` entry per message cost about 1.7 µs per
 * request in the profile. A storage that carries nothing through a
 * regenerate (no `regenerated()`) only marks the request.
 * @internal
 */
export function noteAddedMessage(req: AjaxRequest, storage: MessageStorage, message: AjaxMessage): void {
  const state = stateOf(req);
  const added = (state.added ??= []);
  if (!storage.regenerated) return;
  added.push({ storage, message });
  const session = req.session as FastifySession | null | undefined;
  // secure-session's proxy answers any name from the session's data (a key "sessionId" included), but not its methods.
  if (!session || typeof session.data === 'function') addedWithoutSessionId.set(message, storage);
}

const addedToSessionWithoutId: AddedByRequest = (storage, message) => addedWithoutSessionId.get(message) === storage;

type Regenerate = (this: FastifySession, ...args: unknown[]) => unknown;

/** A session of `@fastify/session` or `@fastify/secure-session`, as its class's prototype sees it. */
interface FastifySession {
  sessionId?: string;
  /** `@fastify/secure-session`'s copy of its data. */
  data?: () => Record<string, unknown>;
}

interface SessionPrototype {
  regenerate?: Regenerate;
  [CARRIED]?: Set<MessageStorage>;
}

/**
 * The request a `@fastify/session` session belongs to, when that request
 * added messages, found as it regenerates: the session keeps its request
 * under a symbol of its own (for its cookie and for putting the new session
 * in place). Looked for at a regenerate only, which few requests make, so
 * that adding a message costs no write on the session (a symbol defined on
 * each session took about 1 µs per request in the profile). A request that
 * added none carries nothing: a log-out regenerates too, and the messages
 * pending from earlier requests stay with the old session. Found whether or
 * not this session is still the request's current one (a second
 * `regenerate()` on the same session object).
 */
function requestOfSession(session: FastifySession): AjaxRequest | undefined {
  for (const key of Object.getOwnPropertySymbols(session)) {
    const value = (session as Record<symbol, unknown>)[key];
    if (typeof value === 'object' && value !== null && knownStateOf(value)?.added) return value as AjaxRequest;
  }
  return undefined;
}

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
    if (typeof this.data !== 'function') {
      const request = requestOfSession(this);
      return request ? regenerateNewSession.call(this, regenerate, args, storages, request) : regenerate.apply(this, args);
    }
    // @fastify/secure-session calls its methods on the session behind its proxy: the same session, emptied.
    const previous: PreviousSession = { session: this.data() };
    const result = regenerate.apply(this, args);
    void carryMessages(storages, { method: 'GET', headers: {}, session: this as Record<string, unknown> }, previous, addedToSessionWithoutId);
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
  const added: AddedByRequest = (storage, message) => addedThrough(knownStateOf(request)?.added, storage, message);
  const callback = typeof args[args.length - 1] === 'function' ? (args.pop() as (error?: unknown) => void) : undefined;
  if (!callback) {
    return (regenerate.apply(this, args) as Promise<void>).then(() => carryMessages(storages, request, previous, added));
  }
  return regenerate.call(this, ...args, (error?: unknown) => {
    if (error) return callback(error);
    const moved = carryMessages(storages, request, previous, added);
    if (!moved) return callback();
    void moved.then(() => callback());
  });
}
