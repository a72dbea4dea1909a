import request from 'supertest';
import { SessionMessageStorage } from '../../lib/index.js';
import { CLIENT_KINDS_OF_THIS_RUN } from '../fixtures/redis-clients.js';
import { cookieOf, type RedisInstance, startKindInstance, startRedisInstance } from '../fixtures/redis-instance.js';
import { redisTestsRun } from '../fixtures/redis-server.js';
import { type LoadTally, oneVisitorLoad } from '../fixtures/one-visitor-load.js';
import { shareRedis } from '../fixtures/shared-redis.js';
import { PLATFORMS } from '../fixtures/test-app.js';

const REQUESTS = 1_000;
const CONCURRENCY = 50;

/**
 * One signed-in session's load (`oneVisitorLoad()`), alternating between two
 * instances; the log-in's own message is not counted.
 */
async function run(instances: RedisInstance[]): Promise<LoadTally> {
  const cookie = cookieOf(await request(instances[0].url).post('/session/login'));
  const url = (n: number) => instances[n % instances.length].url;
  return oneVisitorLoad(
    {
      redirect: (n, id) => request(url(n)).post(`/flash/redirect?add=${id}`).set('Cookie', cookie),
      json: (n, id) => request(url(n)).get(id ? `/echo?add=${id}` : '/echo').set('Cookie', cookie),
    },
    { requests: REQUESTS, concurrency: CONCURRENCY, ignore: ['Welcome back, ada.'] },
  );
}
(redisTestsRun() ? describe : describe.skip)(`one session, ${REQUESTS} requests, ${CONCURRENCY} at a time, on two instances`, () => {
  const redis = shareRedis(CLIENT_KINDS_OF_THIS_RUN);

  describe.each(PLATFORMS)('on %s', (platform) => {
    it.each(CLIENT_KINDS_OF_THIS_RUN)('delivers every message exactly once with RedisMessageStorage and $name', async (kind) => {
      // What is measured is exactly-once delivery, not latency nor the pending bound: a CI machine busy with other specs may
      // take Redis past 500 ms, or let more than 50 redirects of the visitor pass before a JSON answer takes what they added.
      const settings = { platform, timeoutMs: 5_000, ajax: { messages: { maxPending: REQUESTS, maxPendingBytes: 1_000_000 } } };
      const instances = [await startKindInstance(kind, redis, settings), await startKindInstance(kind, redis, settings)];
      try {
        const tally = await run(instances);
        console.log(`RedisMessageStorage, ${kind.name}, ${platform}: ${JSON.stringify(tally)}`);
        expect(tally).toEqual({ added: REQUESTS, delivered: REQUESTS, duplicates: 0, lost: 0 });
      } finally {
        await Promise.all(instances.map((i) => i.close()));
      }
    }, 60_000);

    it('records what the session storage loses under the same load (express-session saves whole sessions)', async () => {
      const storage = () => new SessionMessageStorage();
      const instances = [
        await startRedisInstance(redis.server.url, { platform, storage }),
        await startRedisInstance(redis.server.url, { platform, storage }),
      ];
      try {
        const tally = await run(instances);
        console.log(`SessionMessageStorage, ${platform}: ${JSON.stringify(tally)}`);
        // Not an expectation of the module: the figure is recorded (README) to show why the Redis storage exists.
        expect(tally.added).toBe(REQUESTS);
        expect(tally.delivered + tally.lost).toBe(REQUESTS);
      } finally {
        await Promise.all(instances.map((i) => i.close()));
      }
    }, 60_000);
  });
});
