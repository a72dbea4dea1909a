import request from 'supertest';
import { SessionMessageStorage } from '../../lib/index.js';
import { type RedisInstance, startRedisInstance } from '../fixtures/redis-instance.js';
import { type RedisServer, redisTestsRun, startRedisServer } from '../fixtures/redis-server.js';

/** A failed form post of a visitor who is not signed in: a message, a redirect, and the browser follows with whatever cookie it got. */
async function flashThenFollow(url: string): Promise<{ status: number; next: { messages?: unknown } }> {
  const post = await request(url).post('/flash/redirect?add=Wrong%20password.');
  const cookie = (post.headers['set-cookie'] as unknown as string[] | undefined)?.[0]?.split(';')[0];
  const next = request(url).get('/echo');
  if (cookie) next.set('Cookie', cookie);
  return { status: post.status, next: (await next).body };
}
import { PLATFORMS } from '../fixtures/test-app.js';
import { messageKeysLeft } from '../fixtures/message-keys.js';

describe.each(PLATFORMS)('on %s', (platform) => {
  (redisTestsRun() ? describe : describe.skip)('a visitor without a session yet, message before a redirect', () => {
    let redis: RedisServer;
    let viaRedis: RedisInstance;
    let viaSession: RedisInstance;
    beforeAll(async () => {
      redis = await startRedisServer();
      viaRedis = await startRedisInstance(redis.url, { platform });
      viaSession = await startRedisInstance(redis.url, { platform, storage: () => new SessionMessageStorage() });
    });
    afterAll(async () => {
      await viaRedis?.close();
      await viaSession?.close();
      await redis?.dispose();
    });

    it.each([
      ['RedisMessageStorage', () => viaRedis],
      ['SessionMessageStorage', () => viaSession],
    ])('%s gets the session cookie set, and the message delivered after the redirect', async (_name, instance) => {
      const { status, next } = await flashThenFollow(instance().url);
      expect(status).toBe(302);
      expect(next.messages).toEqual([{ message: 'Wrong password.', tags: 'info' }]);
    });

    it('leaves no list behind in Redis', async () => {
      await flashThenFollow(viaRedis.url);
      expect(await messageKeysLeft(viaRedis.client)).toEqual([]);
    });
  });
});
