import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { AjaxRequest } from '../ajax-request.interface.js';
import { AjaxConfigurationError, describeValue } from '../ajax.errors.js';
import type { AjaxMessage } from './ajax-message.interface.js';
import { isAjaxMessage } from './is-ajax-message.js';
import type { MessageStorage, PreviousSession } from './message-storage.interface.js';
import { MessagesUnavailableException } from './messages-unavailable.exception.js';
import { DEFAULT_PENDING_LIMITS, messageBytes, type PendingLimits, reportDropped } from './pending-limits.js';
import { platformOf } from '../platform/platform-of.js';
import { requestOnlyMessages } from './request-only-messages.js';
import { readSessionValue, writeSessionValue } from './session-values.js';

/** Set in a session that has messages in Redis, so that express-session keeps the session, and its cookie. @internal */
export const SESSION_MARK = '_messagesInRedis';

/** The parts of a node-redis (`redis` 5 or 6) client the storage uses. */
export interface RedisClientLike {
  readonly isReady: boolean;
  multi(): RedisMultiLike;
  zRange(key: string, start: number, stop: number): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

/** The parts of a node-redis transaction the storage uses. */
export interface RedisMultiLike {
  zAdd(key: string, members: Array<{ score: number; value: string }>): RedisMultiLike;
  zRange(key: string, start: number, stop: number): RedisMultiLike;
  expire(key: string, seconds: number): RedisMultiLike;
  del(key: string): RedisMultiLike;
  exec(): Promise<unknown>;
}

/**
 * Adds one message and keeps the visitor's set within the limits, in one
 * atomic step: newest first, members are kept while both the count and the
 * bytes allow; the rest, the oldest, go. Each member starts with its size
 * (`<bytes>:`), counted once, by `messageBytes()`, when it was added.
 * KEYS[1]: the set. ARGV: score, member, max count, max bytes, TTL. Returns how many were dropped.
 */
const ADD_WITHIN_LIMITS = `
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
local members = redis.call('ZRANGE', KEYS[1], 0, -1)
local maxCount, maxBytes = tonumber(ARGV[3]), tonumber(ARGV[4])
local keep, bytes = 0, 0
for i = #members, 1, -1 do
  if keep >= maxCount then break end
  bytes = bytes + (tonumber(string.match(members[i], '^(%d+):')) or maxBytes + 1)
  if bytes > maxBytes then break end
  keep = keep + 1
end
local dropped = #members - keep
if dropped > 0 then redis.call('ZREMRANGEBYRANK', KEYS[1], 0, dropped - 1) end
redis.call('EXPIRE', KEYS[1], ARGV[5])
return dropped
`;

/**
 * Moves the given members from the old session's set to the new one's, each
 * only if it is still pending (a member already taken is not brought back).
 * KEYS[1]: old set, KEYS[2]: new set. ARGV: TTL, then score and member pairs. Returns how many moved.
 */
const MOVE_MEMBERS = `
local moved = 0
for i = 2, #ARGV - 1, 2 do
  if redis.call('ZREM', KEYS[1], ARGV[i + 1]) == 1 then
    redis.call('ZADD', KEYS[2], ARGV[i], ARGV[i + 1])
    moved = moved + 1
  end
end
if moved > 0 then redis.call('EXPIRE', KEYS[2], ARGV[1]) end
return moved
`;

/**
 * Removes the given members, each only if it is still pending, in one atomic
 * step, and returns those it removed: a member a concurrent take got first is
 * not returned twice. KEYS[1]: the set. ARGV: the members.
 */
const TAKE_MEMBERS = `
local taken = {}
for i = 1, #ARGV do
  if redis.call('ZREM', KEYS[1], ARGV[i]) == 1 then taken[#taken + 1] = ARGV[i] end
end
return taken
`;

/** Tells this process's messages from another's that were added at the same instant. */
const PROCESS_TAG = randomBytes(6).toString('hex');
let lastScore = 0;

/**
 * A message's place in its visitor's set: microseconds since the epoch, made
 * strictly increasing within the process, so that messages added in one
 * millisecond keep the order they were added in.
 */
function nextScore(): number {
  lastScore = Math.max(lastScore + 1, Date.now() * 1000);
  return lastScore;
}

/** A message as stored: its score inside, so a put-back can restore its place, and the member itself. */
interface StoredMessage extends AjaxMessage {
  at: number;
  raw: string;
}

/** Options of `RedisMessageStorage`. */
export interface RedisMessageStorageOptions {
  /** Prefix of the key of each session's list. Default: `'nestjs-ajax:messages:'`. */
  keyPrefix?: string;
  /** How long undelivered messages are kept after the last one was added, in seconds. Default: 86,400 (a day). */
  ttlSeconds?: number;
  /** How long a command may take before the request gets a 503, in milliseconds. Default: 1,000. */
  timeoutMs?: number;
}

/**
 * Pending messages in Redis, one sorted set per session
 * (`<keyPrefix><sessionID>`), ordered by when each was added: a script adds
 * one and drops the oldest past `messages.maxPending` and
 * `messages.maxPendingBytes`, and a `MULTI` of `ZRANGE` and `DEL` takes them
 * all in one atomic step (one type's, for `req.flash(type)`: a script removes
 * the members read and returns those it removed). Requests of one session
 * running at the same time, on one instance or several, never lose nor
 * duplicate a message, which the session storage cannot promise
 * (express-session saves whole sessions).
 *
 * It uses the node-redis client it is given and opens no connection of its
 * own. When Redis cannot be reached, a command fails fast (client not ready)
 * or after `timeoutMs`, and the request gets 503; the storage recovers when
 * the client reconnects. A take whose answer comes after its time-out puts
 * the messages back in their places, so a slow Redis neither loses nor
 * reorders them. When a session is regenerated (passport's log-in), its
 * messages move to the new session's set.
 *
 * Requests without a session (no `req.sessionID`) keep their messages for
 * the request only, as with the session storage.
 *
 * @example
 * const redis = await createClient({ url: process.env.REDIS_URL }).connect();
 * AjaxModule.forRoot({ messages: { storage: new RedisMessageStorage(redis, { ttlSeconds: 3600 }) } })
 */
export class RedisMessageStorage implements MessageStorage {
  private readonly logger = new Logger('AjaxMessages');
  private readonly keyPrefix: string;
  private readonly ttlSeconds: number;
  private readonly timeoutMs: number;
  /** The members each request added, for a move to a regenerated session: kept here, where a round trip dwarfs it. */
  private readonly addedBy = new WeakMap<AjaxRequest, Array<{ score: number; member: string }>>();

  constructor(
    private readonly client: RedisClientLike,
    options: RedisMessageStorageOptions = {},
  ) {
    if (typeof client?.multi !== 'function' || typeof client?.zRange !== 'function' || typeof client?.eval !== 'function') {
      throw new AjaxConfigurationError(
        `RedisMessageStorage needs a node-redis client (import { createClient } from 'redis'); got ${describeValue(client)}.`,
      );
    }
    this.keyPrefix = options.keyPrefix ?? 'nestjs-ajax:messages:';
    this.ttlSeconds = options.ttlSeconds ?? 86_400;
    this.timeoutMs = options.timeoutMs ?? 1_000;
    if (!Number.isInteger(this.ttlSeconds) || this.ttlSeconds <= 0) {
      throw new AjaxConfigurationError(`RedisMessageStorage option "ttlSeconds" must be a whole number > 0; got ${describeValue(this.ttlSeconds)}.`);
    }
    if (!Number.isInteger(this.timeoutMs) || this.timeoutMs <= 0) {
      throw new AjaxConfigurationError(`RedisMessageStorage option "timeoutMs" must be a whole number > 0; got ${describeValue(this.timeoutMs)}.`);
    }
  }

  async add(req: AjaxRequest, message: AjaxMessage, limits: PendingLimits = DEFAULT_PENDING_LIMITS): Promise<void> {
    const key = this.keyOf(req);
    if (!key) return requestOnlyMessages.add(req, message, limits);
    if (messageBytes(message) > limits.maxBytes) return reportDropped(req, 1, limits);
    // The set is found again by the session cookie; with saveUninitialized: false, express-session
    // sends that cookie only for a session that changed. A failed log-in form of an anonymous visitor is one.
    if (req.session && readSessionValue(req.session, SESSION_MARK) !== true) writeSessionValue(req.session, SESSION_MARK, true);
    const score = nextScore();
    const member = `${messageBytes(message)}:${JSON.stringify({ at: score, p: PROCESS_TAG, level: message.level, message: message.message, tags: message.tags })}`;
    const added = this.addedBy.get(req);
    if (added) added.push({ score, member });
    else this.addedBy.set(req, [{ score, member }]);
    const args = [String(score), member, String(limits.maxCount), String(limits.maxBytes), String(this.ttlSeconds)];
    const dropped = Number(await this.run('ZADD', () => this.client.eval(ADD_WITHIN_LIMITS, { keys: [key], arguments: args })));
    if (dropped > 0) reportDropped(req, dropped, limits);
  }

  async peek(req: AjaxRequest): Promise<readonly AjaxMessage[]> {
    const key = this.keyOf(req);
    if (!key) return requestOnlyMessages.collect(req, false);
    return parse(await this.run('ZRANGE', () => this.client.zRange(key, 0, -1))).map(toMessage);
  }

  async take(req: AjaxRequest): Promise<readonly AjaxMessage[]> {
    const key = this.keyOf(req);
    if (!key) return requestOnlyMessages.collect(req, true);
    const take = () => this.client.multi().zRange(key, 0, -1).del(key).exec();
    const replies = await this.run('MULTI ZRANGE DEL', take, (late) => this.putBack(key, parse(Array.isArray(late) ? late[0] : undefined)));
    return parse((replies as unknown[])[0]).map(toMessage);
  }

  /**
   * Takes the messages `matches` picks, the others left in their places:
   * the set is read, then the picked members are removed by a script that
   * returns only those it removed, so each message is taken once even by
   * requests running at the same time, and one added in between stays
   * pending. A removal answered after its time-out puts them back.
   */
  async takeMatching(req: AjaxRequest, matches: (message: AjaxMessage) => boolean): Promise<readonly AjaxMessage[]> {
    const key = this.keyOf(req);
    if (!key) return requestOnlyMessages.takeMatching(req, matches);
    const picked = parse(await this.run('ZRANGE', () => this.client.zRange(key, 0, -1))).filter((stored) => matches(toMessage(stored)));
    if (picked.length === 0) return [];
    const members = picked.map((stored) => stored.raw);
    const take = () => this.client.eval(TAKE_MEMBERS, { keys: [key], arguments: members });
    const removed = await this.run('ZREM', take, (late) => this.putBack(key, parse(late)));
    const taken = new Set(Array.isArray(removed) ? removed.map(String) : []);
    return picked.filter((stored) => taken.has(stored.raw)).map(toMessage);
  }

  /** Moves the messages this request added, still pending, to the new session's set, in their places. */
  async regenerated(req: AjaxRequest, previous: PreviousSession): Promise<void> {
    const key = this.keyOf(req);
    const old = previous.sessionID ? this.keyPrefix + previous.sessionID : undefined;
    const moving = this.addedBy.get(req) ?? [];
    if (!key || !old || old === key || moving.length === 0) return;
    if (req.session) writeSessionValue(req.session, SESSION_MARK, true);
    const args = [String(this.ttlSeconds), ...moving.flatMap(({ score, member }) => [String(score), member])];
    await this.run('move', () => this.client.eval(MOVE_MEMBERS, { keys: [old, key], arguments: args }));
  }

  private keyOf(req: AjaxRequest): string | undefined {
    const id = platformOf(req).sessionIdOf(req);
    return id ? this.keyPrefix + id : undefined;
  }

  /**
   * Runs a command within the time-out, as a MessagesUnavailableException when
   * it cannot. `onLate` receives the answer of a command that completed after
   * its request had been given up on.
   */
  private async run<T>(command: string, send: () => Promise<T>, onLate?: (value: T) => void): Promise<T> {
    // A client that is not connected would queue the command until it is: fail now instead.
    if (!this.client.isReady) throw new MessagesUnavailableException(`the Redis client is not connected (${command})`);
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    const sent = send();
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        reject(new MessagesUnavailableException(`Redis did not answer ${command} within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
    });
    try {
      return await Promise.race([sent, timeout]);
    } catch (error) {
      if (error instanceof MessagesUnavailableException) throw error;
      throw new MessagesUnavailableException(`${command} failed: ${(error as Error)?.message ?? error}`, { cause: error });
    } finally {
      clearTimeout(timer);
      if (timedOut) sent.then((late) => onLate?.(late), () => undefined);
    }
  }

  /** Puts back messages a timed-out take removed after all, each in its own place (its score). */
  private putBack(key: string, taken: readonly StoredMessage[]): void {
    if (taken.length === 0) return;
    this.client
      .multi()
      .zAdd(key, taken.map((stored) => ({ score: stored.at, value: stored.raw })))
      .expire(key, this.ttlSeconds)
      .exec()
      .catch((error: unknown) => this.logger.error(`${taken.length} message(s) taken after a time-out could not be put back: ${(error as Error)?.message ?? error}`));
  }
}

function parse(raw: unknown): StoredMessage[] {
  if (!Array.isArray(raw)) return [];
  const messages: StoredMessage[] = [];
  for (const item of raw) {
    const member = String(item);
    const size = /^\d+:/.exec(member);
    if (!size) continue; // not written by this module
    try {
      const stored: unknown = JSON.parse(member.slice(size[0].length));
      if (isAjaxMessage(stored) && typeof (stored as StoredMessage).at === 'number') messages.push({ ...(stored as StoredMessage), raw: member });
    } catch {
      // Not written by this module: skip it.
    }
  }
  return messages;
}

function toMessage({ level, message, tags }: StoredMessage): AjaxMessage {
  return { level, message, tags };
}
