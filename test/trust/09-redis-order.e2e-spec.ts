import request from 'supertest';
import { captureLogs } from '../fixtures/capture-logs.js';
import { cookieOf, type RedisInstance, startRedisInstance } from '../fixtures/redis-instance.js';
import { type RedisServer, redisTestsRun, startRedisServer } from '../fixtures/redis-server.js';
import { info, UNAVAILABLE, until } from './trust-helpers.js';

/**
 * Decision 9: RedisMessageStorage keeps order. "first" is pending; Redis is
 * SIGSTOPped; requests time out (503) and "second" is added meanwhile (its
 * write times out but lands later); after SIGCONT the next JSON response(s)
 * deliver ["first", "second"] in that order, none lost, none twice.
 */

type Message = { message: string; tags: string };
import { PLATFORMS } from '../fixtures/test-app.js';

describe.each(PLATFORMS)('on %s', (platform) => {
  (redisTestsRun() ? describe : describe.skip)('decision 9: RedisMessageStorage keeps the order of messages through a hang', () => {
    let redis: RedisServer;
    let app: RedisInstance;
    captureLogs('error');
    beforeAll(async () => {
      redis = await startRedisServer();
      // Sessions in memory, as in redis-outage.e2e-spec.ts: what hangs is the message storage alone (time-out 500 ms).
      app = await startRedisInstance(redis.url, { platform, sessionsInRedis: false });
    });
    afterAll(async () => {
      await app?.close();
      await redis?.dispose();
    });

    /** Every message the next JSON responses deliver, in order, once the late commands have settled. */
    async function deliveredFrom(cookie: string, expected = 2): Promise<Message[]> {
      const delivered: Message[] = [];
      // Redis answers again. The commands the hang held run first; what they put back is sent on their replies,
      // so two round trips of our own let it land. Then the JSON responses collect (bounded: 50 requests).
      await until(async () => (app.client.isReady ? true : undefined), 10);
      await app.client.ping();
      await app.client.ping();
      for (let i = 0; i < 50 && delivered.length < expected; i++) {
        const res = await request(app.url).get('/echo').set('Cookie', cookie);
        expect(res.status).toBe(200);
        delivered.push(...((res.body as { messages?: Message[] }).messages ?? []));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      // None twice: nothing more comes.
      await new Promise((resolve) => setTimeout(resolve, 300));
      for (let i = 0; i < 3; i++) {
        const res = await request(app.url).get('/echo').set('Cookie', cookie);
        delivered.push(...((res.body as { messages?: Message[] }).messages ?? []));
      }
      return delivered;
    }

    /** A request that takes the pending messages (any JSON answer), as a step of `hangThrough()`; any other step writes its text. */
    const TAKE = Symbol('take');

    /**
     * A new visitor with "first" pending; then Redis hangs through these
     * requests, each answering the module's 503, and answers again. The
     * visitor's cookie.
     */
    async function hangThrough(steps: Array<typeof TAKE | string>): Promise<string> {
      const first = await request(app.url).post('/flash/redirect?add=first');
      expect(first.status).toBe(302);
      const cookie = cookieOf(first);
      redis.pause();
      try {
        for (const step of steps) {
          const res =
            step === TAKE
              ? await request(app.url).get('/echo').set('Cookie', cookie)
              : await request(app.url).post(`/flash/redirect?add=${step}`).set('Cookie', cookie);
          expect([String(step), res.status, res.body]).toEqual([String(step), 503, UNAVAILABLE]);
        }
      } finally {
        redis.resume();
      }
      return cookie;
    }

    it('a take and a write that time out, then another take: first, then second', async () => {
      const cookie = await hangThrough([TAKE, 'second', TAKE]);
      expect(await deliveredFrom(cookie)).toEqual([info('first'), info('second')]);
    }, 30_000);

    it('two takes and two writes that time out, interleaved: first, second, third', async () => {
      const cookie = await hangThrough([TAKE, 'second', TAKE, 'third']);
      expect(await deliveredFrom(cookie, 3)).toEqual([info('first'), info('second'), info('third')]);
    }, 30_000);

    it('control: a write that times out between two takes that time out', async () => {
      const cookie = await hangThrough(['second', TAKE, TAKE]);
      expect(await deliveredFrom(cookie)).toEqual([info('first'), info('second')]);
    }, 30_000);

    it('control: a single take that times out puts "first" back before "second"', async () => {
      const cookie = await hangThrough([TAKE, 'second']);
      expect(await deliveredFrom(cookie)).toEqual([info('first'), info('second')]);
    }, 30_000);
  });
});
