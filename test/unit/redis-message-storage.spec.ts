import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { AjaxRequest } from '../../lib/ajax-request.interface.js';
import { MessagesUnavailableException } from '../../lib/messages/messages-unavailable.exception.js';
import { RedisMessageStorage } from '../../lib/messages/redis/redis-message-storage.js';

/** A request of a visitor with a session, as express-session gives it. */
const visitor = (): AjaxRequest => ({ method: 'GET', headers: {}, sessionID: 'visitor-1' }) as AjaxRequest;

describe('RedisMessageStorage with a client whose eval fails before it returns a promise', () => {
  afterEach(() => jest.useRealTimers());

  // A client of the README's "anything else" row (an adapter with isReady and eval) may throw, or return
  // something that is not a promise: the storage must still answer with its 503 and leave no timer behind,
  // whose rejection nobody would handle.
  it.each([
    ['throws', () => {
      throw new Error('the adapter threw');
    }],
    ['returns no promise', () => undefined],
  ])('answers MessagesUnavailableException and leaves no timer when eval %s', async (_, evaluate) => {
    jest.useFakeTimers();
    const storage = new RedisMessageStorage({ isReady: true, eval: evaluate as never }, { timeoutMs: 1_000 });
    await expect(storage.peek(visitor())).rejects.toBeInstanceOf(MessagesUnavailableException);
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe('RedisMessageStorage with a client that is not ready', () => {
  afterEach(() => jest.restoreAllMocks());

  it.each([
    ['node-redis, connect() never called', { isReady: false, isOpen: false }, /never connected, or was closed: call await client\.connect\(\)/],
    ['ioredis with lazyConnect, before any command', { status: 'wait' }, /with lazyConnect it connects on its first command.*call await client\.connect\(\) at start-up, or leave lazyConnect off/],
    ['node-redis, reconnecting', { isReady: false, isOpen: true }, /: the Redis client is not connected \(take\)$/],
    ['ioredis, reconnecting', { status: 'reconnecting' }, /: the Redis client is not connected \(its status is "reconnecting"\) \(take\)$/],
  ])('%s: the 503 says why and how to fix it, sends nothing and warns of no take to put back', async (_, state, reason) => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const evaluate = jest.fn(() => Promise.resolve([]));
    const storage = new RedisMessageStorage({ ...state, eval: evaluate } as never);
    const failure = storage.take(visitor());
    await expect(failure).rejects.toBeInstanceOf(MessagesUnavailableException);
    await expect(failure).rejects.toThrow(reason);
    expect(evaluate).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
  });
});
