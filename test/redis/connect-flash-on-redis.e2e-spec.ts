import { RedisMessageStorage } from '../../lib/index.js';
import { captureLogs } from '../fixtures/capture-logs.js';
import { ConnectFlashController, connectFlashScenarios, FLASH_MESSAGES, flashCalls, json } from '../fixtures/connect-flash-fixtures.js';
import { type RedisServer, redisTestsRun, startRedisServer } from '../fixtures/redis-server.js';
import { PLATFORMS, startTestApp, type TestApp } from '../fixtures/test-app.js';
import { connectRedisClient, type RedisClient } from '../fixtures/redis-instance.js';

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/**
 * `req.flash()` over `RedisMessageStorage`: the same answers as with the
 * session storage, given as promises; taking one type removes exactly its
 * members and leaves the others in their places, and requests of one visitor
 * taking a type at the same time get each message once between them.
 */
describe.each(PLATFORMS)('req.flash() on %s, messages in Redis', (platform) => {
  (redisTestsRun() ? describe : describe.skip)('with a real redis-server', () => {
    let redis: RedisServer;
    let client: RedisClient;
    let t: TestApp;
    captureLogs('warn');
    beforeAll(async () => {
      redis = await startRedisServer();
      client = await connectRedisClient(redis.url);
      const storage = new RedisMessageStorage(client, { timeoutMs: 1000 });
      t = await startTestApp({ platform, ajax: { flash: true, messages: { ...FLASH_MESSAGES, storage } }, controllers: [ConnectFlashController] });
    });
    afterAll(async () => {
      await t?.close();
      client?.destroy();
      await redis?.dispose();
    });

    connectFlashScenarios(() => t, false);

    it('requests of one visitor taking a type at the same time get each message once between them; the other type stays, in order', async () => {
      const visitor = t.agent();
      await flashCalls(visitor, false, ...range(1, 3).flatMap((n) => [['info', `i${n}`], ['error', `e${n}`]]));
      // Redis held while the takes arrive, so that each reads the whole set before any removes a member.
      redis.pause();
      let takes: Array<Promise<unknown[]>>;
      try {
        takes = range(1, 8).map(() => flashCalls(visitor, false, ['info']));
        await new Promise((resolve) => setTimeout(resolve, 300));
      } finally {
        redis.resume();
      }
      const taken = (await Promise.all(takes)).map(([texts]) => texts as string[]);
      expect(taken.flat().sort()).toEqual(['i1', 'i2', 'i3']);
      for (const texts of taken) expect(texts).toEqual([...texts].sort());
      const page = await visitor.get('/cf/page');
      expect(page.body.messages).toEqual([json('e1', 'danger'), json('e2', 'danger'), json('e3', 'danger')]);
    });
  });
});
