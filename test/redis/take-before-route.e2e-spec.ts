import { request as httpRequest } from 'node:http';
import request from 'supertest';
import { RedisMessageStorage } from '../../lib/index.js';
import { CLAIM } from '../../lib/messages/redis/redis-scripts.js';
import { EchoMessagesController } from '../fixtures/echo-messages.controller.js';
import { connectRedisClient, cookieOf, type RedisClient } from '../fixtures/redis-instance.js';
import { type RedisServer, redisTestsRun, startRedisServer } from '../fixtures/redis-server.js';
import { PLATFORMS, startTestApp, type TestApp } from '../fixtures/test-app.js';
import { until } from '../fixtures/until.js';

/**
 * A malformed JSON body fails before any route runs (on Fastify, before its
 * `preValidation` hook), and the module's filter answers it with the pending
 * messages: its take claims them in Redis. A visitor who goes away before
 * that answer is written never gets them, so they must be pending again at
 * once, as after a route's own answer, not only after `reclaimAfterMs`.
 */

const texts = (res: { body: { messages?: Array<{ message: string }> } }) => (res.body.messages ?? []).map((m) => m.message);
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How long a take waits before Redis runs it, while `slowTakes` is on: longer than the visitor stays. */
const TAKE_DELAY_MS = 400;

describe.each(PLATFORMS)('on %s', (platform) => {
  (redisTestsRun() ? describe : describe.skip)('a take made before the route, for an error answer the visitor left', () => {
    let server: RedisServer;
    let client: RedisClient;
    let t: TestApp;
    let slowTakes = false;
    let takesSent = 0;

    beforeAll(async () => {
      server = await startRedisServer();
      client = await connectRedisClient(server.url);
      const slowClient = {
        get isReady() {
          return client.isReady;
        },
        async eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown> {
          if (script === CLAIM) {
            takesSent += 1;
            if (slowTakes) await wait(TAKE_DELAY_MS);
          }
          return client.eval(script, options);
        },
      };
      // reclaimAfterMs far beyond the test: only a claim put back at once comes back within it.
      const storage = new RedisMessageStorage(slowClient, { keyPrefix: `early-take-${platform}:`, reclaimAfterMs: 600_000, timeoutMs: 5_000 });
      t = await startTestApp({ platform, controllers: [EchoMessagesController], ajax: { global: true, messages: { storage } } });
    });
    afterAll(async () => {
      await t?.close();
      await client?.quit();
      await server?.dispose();
    });

    it('puts the messages back at once', async () => {
      // An answer that cannot carry messages (an array): "kept" stays pending, and the visitor has a session.
      const first = await request(t.url).get('/echo/keep?add=kept');
      expect(first.status).toBe(200);
      const cookie = cookieOf(first);

      slowTakes = true;
      const takesBefore = takesSent;
      await new Promise<void>((resolve) => {
        const req = httpRequest(`${t.url}/echo`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' } });
        req.on('error', () => resolve());
        req.end('{"broken": ');
        setTimeout(() => {
          req.destroy();
          resolve();
        }, TAKE_DELAY_MS / 4);
      });
      // The filter's take went out for the malformed body, and Redis runs it once the visitor has gone.
      await until(async () => (takesSent > takesBefore ? true : undefined), 2);
      slowTakes = false;
      await wait(TAKE_DELAY_MS);

      const res = await until(async () => {
        const attempt = texts(await request(t.url).get('/echo').set('Cookie', cookie));
        return attempt.length > 0 ? attempt : undefined;
      }, 3);
      expect(res).toEqual(['kept']);
      expect(texts(await request(t.url).get('/echo').set('Cookie', cookie))).toEqual([]);
    }, 20_000);
  });
});
