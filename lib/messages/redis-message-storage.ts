import { Logger } from '@nestjs/common';
import type { AjaxRequest } from '../ajax-request.interface.js';
import { AjaxConfigurationError, describeValue } from '../ajax.errors.js';
import type { AjaxMessage } from './ajax-message.interface.js';
import { isAjaxMessage } from './is-ajax-message.js';
import type { MessageStorage } from './message-storage.interface.js';
import { MessagesUnavailableException } from './messages-unavailable.exception.js';
import { requestOnlyMessages } from './request-only-messages.js';

/** Set in a session that has messages in Redis, so that express-session keeps the session, and its cookie. */
const SESSION_MARK = '_messagesInRedis';

/** The parts of a node-redis (`redis` 5 or 6) client the storage uses. */
export interface RedisClientLike {
  readonly isReady: boolean;
  multi(): RedisMultiLike;
  lRange(key: string, start: number, stop: number): Promise<unknown>;
}

/** The parts of a node-redis transaction the storage uses. */
export interface RedisMultiLike {
  rPush(key: string, element: string): RedisMultiLike;
  lPush(key: string, elements: string[]): RedisMultiLike;
  expire(key: string, seconds: number): RedisMultiLike;
  lRange(key: string, start: number, stop: number): RedisMultiLike;
  del(key: string): RedisMultiLike;
  exec(): Promise<unknown>;
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
 * Pending messages in Redis, one list per session (`<keyPrefix><sessionID>`):
 * `RPUSH` to add, and a `MULTI` of `LRANGE` and `DEL` to take them all in one
 * atomic step. Requests of one session running at the same time, on one
 * instance or several, never lose nor duplicate a message, which the session
 * storage cannot promise (express-session saves whole sessions).
 *
 * It uses the node-redis client it is given and opens no connection of its
 * own. When Redis cannot be reached, a command fails fast (client not ready)
 * or after `timeoutMs`, and the request gets 503; the storage recovers when
 * the client reconnects. A take whose answer comes after its time-out puts
 * the messages back, so a slow Redis does not lose them.
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

  constructor(
    private readonly client: RedisClientLike,
    options: RedisMessageStorageOptions = {},
  ) {
    if (typeof client?.multi !== 'function' || typeof client?.lRange !== 'function') {
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

  async add(req: AjaxRequest, message: AjaxMessage): Promise<void> {
    const key = this.keyOf(req);
    if (!key) return requestOnlyMessages.add(req, message);
    // The list is found again by the session cookie; with saveUninitialized: false, express-session
    // sends that cookie only for a session that changed. A failed log-in form of an anonymous visitor is one.
    if (req.session && req.session[SESSION_MARK] !== true) req.session[SESSION_MARK] = true;
    await this.run('RPUSH', () => this.client.multi().rPush(key, JSON.stringify(message)).expire(key, this.ttlSeconds).exec());
  }

  async peek(req: AjaxRequest): Promise<readonly AjaxMessage[]> {
    const key = this.keyOf(req);
    if (!key) return requestOnlyMessages.collect(req, false);
    return parse(await this.run('LRANGE', () => this.client.lRange(key, 0, -1)));
  }

  async take(req: AjaxRequest): Promise<readonly AjaxMessage[]> {
    const key = this.keyOf(req);
    if (!key) return requestOnlyMessages.collect(req, true);
    const take = () => this.client.multi().lRange(key, 0, -1).del(key).exec();
    const replies = await this.run('MULTI LRANGE DEL', take, (late) => this.putBack(key, late));
    return parse((replies as unknown[])[0]);
  }

  private keyOf(req: AjaxRequest): string | undefined {
    return req.sessionID ? this.keyPrefix + req.sessionID : undefined;
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

  /** Puts back, at the head and in order, messages a timed-out take removed after all. */
  private putBack(key: string, replies: unknown): void {
    const raw = (Array.isArray(replies) ? replies[0] : undefined) as unknown;
    if (!Array.isArray(raw) || raw.length === 0) return;
    this.client
      .multi()
      .lPush(key, [...(raw as string[])].reverse())
      .expire(key, this.ttlSeconds)
      .exec()
      .catch((error: unknown) => this.logger.error(`${raw.length} message(s) taken after a time-out could not be put back: ${(error as Error)?.message ?? error}`));
  }
}

function parse(raw: unknown): readonly AjaxMessage[] {
  if (!Array.isArray(raw)) return [];
  const messages: AjaxMessage[] = [];
  for (const item of raw) {
    try {
      const message: unknown = JSON.parse(String(item));
      if (isAjaxMessage(message)) messages.push(message);
    } catch {
      // Not written by this module: skip it.
    }
  }
  return messages;
}
