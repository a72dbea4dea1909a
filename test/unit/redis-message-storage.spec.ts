import { jest } from '@jest/globals';
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
