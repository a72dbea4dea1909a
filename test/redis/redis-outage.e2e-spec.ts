import request from 'supertest';
import { captureLogs } from '../fixtures/capture-logs.js';
import { CLIENT_KINDS_OF_THIS_RUN, type KindClient } from '../fixtures/redis-clients.js';
import { cookieOf, type KindInstance, startKindInstance, startRedisInstance } from '../fixtures/redis-instance.js';
import { redisTestsRun } from '../fixtures/redis-server.js';
import { shareRedis } from '../fixtures/shared-redis.js';
import { UNAVAILABLE, until } from '../fixtures/until.js';
import { PLATFORMS } from '../fixtures/test-app.js';

/**
 * Waits until the client knows that Redis is away: node-redis and ioredis
 * clients see their connections close; ioredis's cluster client, whose
 * connections to the nodes are made when first used, learns it from a
 * command that fails.
 */
function untilAway(messages: KindClient): Promise<true> {
  return until(async () => {
    if (!messages.ready()) return true;
    await messages.send('PING').catch(() => undefined);
    return undefined;
  }, 5);
}

(redisTestsRun() ? describe : describe.skip)('Redis going away and coming back', () => {
  const redis = shareRedis(CLIENT_KINDS_OF_THIS_RUN);
  const errors = captureLogs('error');

  describe.each(PLATFORMS)('on %s', (platform) => {
    it('with sessions in the same Redis too, answers a JSON error at once rather than waiting, and recovers', async () => {
      const both = await startRedisInstance(redis.server.url, { platform });
      try {
        const signedIn = cookieOf(await request(both.url).post('/session/login'));
        await redis.server.stop();
        await until(async () => (both.client.isReady ? undefined : true), 5);
        const started = Date.now();
        const res = await request(both.url).get('/echo').set('Cookie', signedIn).timeout(3000);
        expect(Date.now() - started).toBeLessThan(1_000);
        // express-session fails first, on reading the session: an error the module cannot tell from a bug.
        expect(res.status).toBe(500);
        expect(res.body).toEqual({ status: 'error', error: 'Internal server error' });
        await redis.server.start();
        await until(async () => ((await request(both.url).get('/echo').set('Cookie', signedIn)).status === 200 ? true : undefined), 10);
      } finally {
        await both.close();
      }
    }, 30_000);

    // "Down" stops the server, or every node of the cluster; "hangs" freezes it, or every node.
    describe.each(CLIENT_KINDS_OF_THIS_RUN)('with $name', (kind) => {
      let app: KindInstance;
      let cookie: string;
      const target = () => (kind.cluster ? redis.cluster : redis.server);
      beforeAll(async () => {
        // Sessions stay in memory here, so that what is measured is the message storage alone.
        app = await startKindInstance(kind, redis, { platform, sessionsInRedis: false });
        cookie = cookieOf(await request(app.url).post('/session/login'));
        expect((await request(app.url).get('/echo').set('Cookie', cookie)).body.messages).toHaveLength(1);
      });
      afterAll(() => app?.close());

      it('answers 503 JSON at once while Redis is down, then recovers by itself when it is back', async () => {
        await target().stop();
        await untilAway(app.messages);

        const started = Date.now();
        const json = await request(app.url).get('/echo?add=during').set('Cookie', cookie);
        expect(json.status).toBe(503);
        expect(json.body).toEqual(UNAVAILABLE);
        const loggedForJson = errors.splice(0);
        const redirect = await request(app.url).post('/flash/redirect?add=during').set('Cookie', cookie);
        expect(redirect.status).toBe(503);
        expect(redirect.headers.location).toBeUndefined();
        expect(redirect.body).toEqual(UNAVAILABLE);
        expect(Date.now() - started).toBeLessThan(1_000);
        expect(errors.join('\n')).toContain('Flash messages are unavailable');

        await target().start();
        // One failure, reported once: the message that could not be stored, not again as a take that failed after it.
        expect(loggedForJson.filter((line) => line.includes('A message could not be stored'))).toHaveLength(1);
        expect(loggedForJson.join('\n')).not.toContain('could not be taken');
        const recovered = await until(async () => {
          const res = await request(app.url).get('/echo?add=after').set('Cookie', cookie);
          return res.status === 200 ? res : undefined;
        }, 10);
        expect(recovered.body).toEqual({ added: ['after'], messages: [{ message: 'after', tags: 'info' }] });
        const carried = await request(app.url).post('/flash/redirect?add=carried').set('Cookie', cookie);
        expect(carried.status).toBe(302);
        expect((await request(app.url).get('/echo').set('Cookie', cookie)).body.messages).toEqual([{ message: 'carried', tags: 'info' }]);
      }, 30_000);

      it('answers 503 within the time-out when Redis hangs, and loses nothing it had taken', async () => {
        const kept = await request(app.url).post('/flash/redirect?add=kept-1,kept-2').set('Cookie', cookie);
        expect(kept.status).toBe(302);
        target().pause();
        try {
          const started = Date.now();
          const res = await request(app.url).get('/echo').set('Cookie', cookie);
          const elapsed = Date.now() - started;
          expect(res.status).toBe(503);
          expect(res.body).toEqual(UNAVAILABLE);
          expect(elapsed).toBeGreaterThanOrEqual(450);
          expect(elapsed).toBeLessThan(2_000);
        } finally {
          target().resume();
        }
        // The take that timed out ran when Redis woke up; its messages were put back.
        const res = await until(async () => {
          const attempt = await request(app.url).get('/echo').set('Cookie', cookie);
          return attempt.status === 200 && attempt.body.messages ? attempt : undefined;
        }, 10);
        expect(res.body.messages).toEqual([
          { message: 'kept-1', tags: 'info' },
          { message: 'kept-2', tags: 'info' },
        ]);
      }, 30_000);
    });
  });
});
