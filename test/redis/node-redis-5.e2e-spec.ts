import { createClient } from 'redis5';
import request from 'supertest';
import { RedisMessageStorage } from '../../lib/index.js';
import { EchoMessagesController } from '../fixtures/echo-messages.controller.js';
import { FlashController } from '../fixtures/flash.controller.js';
import { cookieOf } from '../fixtures/redis-instance.js';
import { type RedisServer, redisTestsRun, startRedisServer } from '../fixtures/redis-server.js';
import { PLATFORMS, startTestApp, type TestApp } from '../fixtures/test-app.js';
import { messageKeysLeft } from '../fixtures/message-keys.js';

/**
 * The peer range says node-redis 5 or 6; the other Redis specs use 6. This one
 * gives RedisMessageStorage a node-redis 5 client (type-checked against its
 * own types) and carries a message across a redirect with it, exactly once.
 */
describe.each(PLATFORMS)('on %s', (platform) => {
  (redisTestsRun() ? describe : describe.skip)('RedisMessageStorage with a node-redis 5 client', () => {
    let redis: RedisServer;
    let client: ReturnType<typeof createClient>;
    let t: TestApp;
    beforeAll(async () => {
      redis = await startRedisServer();
      client = createClient({ url: redis.url, disableOfflineQueue: true });
      client.on('error', () => undefined);
      await client.connect();
      t = await startTestApp({ platform,
        ajax: { global: true, messages: { storage: new RedisMessageStorage(client, { timeoutMs: 500 }) } },
        controllers: [FlashController, EchoMessagesController],
      });
    });
    afterAll(async () => {
      await t?.close();
      client?.destroy();
      await redis?.dispose();
    });

    it('is node-redis 5', async () => {
      const { createRequire } = await import('node:module');
      expect((createRequire(import.meta.url)('redis5/package.json') as { version: string }).version).toMatch(/^5\./);
    });

    it('delivers a message added before a redirect once, after it', async () => {
      const post = await request(t.url).post('/flash/redirect?add=Saved.');
      expect(post.status).toBe(302);
      const cookie = cookieOf(post);
      const first = await request(t.url).get('/echo').set('Cookie', cookie);
      expect(first.body.messages).toEqual([{ message: 'Saved.', tags: 'info' }]);
      const second = await request(t.url).get('/echo').set('Cookie', cookie);
      expect(second.body.messages).toBeUndefined();
      expect(await messageKeysLeft(client)).toEqual([]);
    });
  });
});
