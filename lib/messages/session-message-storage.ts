import { Logger } from '@nestjs/common';
import { AjaxConfigurationError, describeValue } from '../ajax.errors.js';
import type { AjaxRequest } from '../ajax-request.interface.js';
import type { AjaxMessage } from './ajax-message.interface.js';
import { isAjaxMessage } from './is-ajax-message.js';
import type { MessageStorage, PreviousSession } from './message-storage.interface.js';
import { DEFAULT_PENDING_LIMITS, type PendingLimits, pushWithinLimits } from './pending-limits.js';
import { SESSION_MARK } from './redis/redis-message-storage.js';
import { requestOnlyMessages } from './request-only-messages.js';
import { readSessionValue, writeSessionValue } from './session-values.js';

const NO_MESSAGES: readonly AjaxMessage[] = Object.freeze([]);

/**
 * Session properties the storage's key must not take: the members of
 * express-session's, `@fastify/session`'s and `@fastify/secure-session`'s
 * session objects (a key over one of them hangs or breaks every request), what passport and the Redis storage keep in the session,
 * and the members every object has.
 * @internal
 */
export const RESERVED_SESSION_KEYS: readonly string[] = [
  'id', 'req', 'cookie', 'touch', 'resetMaxAge', 'save', 'reload', 'destroy', 'regenerate',
  'passport', SESSION_MARK,
  // @fastify/session's and @fastify/secure-session's members
  'sessionId', 'encryptedSessionId', 'get', 'set', 'options', 'isModified', 'isSaved', 'data', 'changed', 'deleted', 'delete',
  ...Object.getOwnPropertyNames(Object.prototype),
];

/**
 * The default storage: pending messages live in `req.session[sessionKey]`
 * (Django's `SessionStorage` uses `_messages` too), so a message added before a
 * redirect is delivered by the next JSON response of the same visitor. It
 * works with express-session (any store, connect-redis included) on Express,
 * and with `@fastify/session` or `@fastify/secure-session` (the messages then
 * travel in the encrypted cookie) on Fastify, and is synchronous.
 *
 * A message is written to the session as soon as it is added, not at the end
 * of the request: the session is saved when the response ends,
 * whoever ends it (a redirect, `@Res()`, a stream). A visitor keeps at most
 * `messages.maxPending` messages and `messages.maxPendingBytes` bytes; past
 * that the oldest are dropped. The messages a request added through the
 * module before it calls `req.session.regenerate()` (passport's log-in)
 * follow the visitor into the new session.
 *
 * A session is saved whole at the end of each request, so two
 * requests of one session running at the same time overwrite each other's
 * messages; `RedisMessageStorage` does not have that limit.
 *
 * Without a session, messages live on the request only; one still undelivered
 * when the response closes is logged as a warning.
 *
 * @example
 * AjaxModule.forRoot({ messages: { storage: new SessionMessageStorage('flash') } })
 */
export class SessionMessageStorage implements MessageStorage {
  private readonly logger = new Logger('AjaxMessages');

  /**
   * @param sessionKey the session property that holds pending messages; one of
   * `RESERVED_SESSION_KEYS` throws an `AjaxConfigurationError`.
   */
  constructor(private readonly sessionKey = '_messages') {
    if (typeof sessionKey !== 'string' || sessionKey === '' || RESERVED_SESSION_KEYS.includes(sessionKey)) {
      throw new AjaxConfigurationError(
        `SessionMessageStorage needs a session key of its own, not ${describeValue(sessionKey)}: ` +
          `the session itself or another middleware uses ${RESERVED_SESSION_KEYS.join(', ')}. The default is '_messages'.`,
      );
    }
  }

  add(req: AjaxRequest, message: AjaxMessage, limits: PendingLimits = DEFAULT_PENDING_LIMITS): void {
    const session = req.session;
    if (!session) {
      requestOnlyMessages.add(req, message, limits);
      return;
    }
    const kept = readSessionValue(session, this.sessionKey);
    // Added before the session plugin ran (on Fastify, Nest middleware runs before it): older than this one.
    const early = requestOnlyMessages.collect(req, true);
    const list: AjaxMessage[] = Array.isArray(kept) ? (early.length > 0 ? [...kept, ...early] : kept) : [...early];
    pushWithinLimits(req, list, message, limits);
    // Written back even when changed in place: a session that saves only what it is given (secure-session) must see it.
    writeSessionValue(session, this.sessionKey, list);
  }

  peek(req: AjaxRequest): readonly AjaxMessage[] {
    return this.collect(req, false);
  }

  take(req: AjaxRequest): readonly AjaxMessage[] {
    return this.collect(req, true);
  }

  /** The messages `matches` picks, removed; the others stay in the session, in order. */
  takeMatching(req: AjaxRequest, matches: (message: AjaxMessage) => boolean): readonly AjaxMessage[] {
    const session = req.session;
    if (!session) return requestOnlyMessages.takeMatching(req, matches);
    const taken: AjaxMessage[] = [];
    const left: AjaxMessage[] = [];
    for (const message of this.collect(req, false)) (matches(message) ? taken : left).push(message);
    if (taken.length === 0) return NO_MESSAGES;
    // Those added before the session plugin ran join the session's, as an addition would have them.
    requestOnlyMessages.collect(req, true);
    writeSessionValue(session, this.sessionKey, left.length > 0 ? left : undefined);
    return taken;
  }

  /**
   * This request's messages still pending in the old session (as
   * `previous.addedByRequest()` tells them) go first into the new one:
   * nothing there is older.
   */
  regenerated(req: AjaxRequest, previous: PreviousSession): void {
    const old = previous.session ? readSessionValue(previous.session, this.sessionKey) : undefined;
    const mine = previous.addedByRequest;
    if (!req.session || !Array.isArray(old) || !mine) return;
    const carried = old.filter((message) => mine(message as AjaxMessage));
    if (carried.length === 0) return;
    const now = readSessionValue(req.session, this.sessionKey);
    writeSessionValue(req.session, this.sessionKey, Array.isArray(now) ? [...carried, ...now] : carried);
  }

  private collect(req: AjaxRequest, remove: boolean): readonly AjaxMessage[] {
    const session = req.session;
    if (!session) return requestOnlyMessages.collect(req, remove);
    // Added before the session plugin ran (on Fastify, Nest middleware runs before it): this request's, so the newest.
    const early = requestOnlyMessages.collect(req, remove);
    const kept = readSessionValue(session, this.sessionKey);
    if (kept === undefined) return early;
    if (remove) writeSessionValue(session, this.sessionKey, undefined);
    const valid = this.validMessages(kept);
    return early.length > 0 ? [...valid, ...early] : valid;
  }

  /** The session is data from a store, possibly written by another version or app: keep only real messages. */
  private validMessages(kept: unknown): readonly AjaxMessage[] {
    if (!Array.isArray(kept)) {
      this.logger.warn(`req.session.${this.sessionKey} is not a list of messages; it was ignored.`);
      return NO_MESSAGES;
    }
    return kept.every(isAjaxMessage) ? kept : kept.filter(isAjaxMessage);
  }
}
