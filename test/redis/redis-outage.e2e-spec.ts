import request from 'supertest';
import { captureLogs } from '../fixtures/capture-logs.js';
import { cookieOf, type RedisInstance, startRedisInstance } from '../fixtures/redis-instance.js';
import { type RedisServer, redisTestsRun, startRedisServer } from '../fixtures/redis-server.js';
import { UNAVAILABLE, until } from '../fixtures/until.js';
import { PLATFORMS } from '../fixtures/test-app.js';

describe.each(PLATFORMS)('on %s', (platform) => {
  (redisTestsRun() ? describe : describe.skip)('Redis going away and coming back', () => {
    let redis: RedisServer;
    let app: RedisInstance;
    let cookie: string;
    const errors = captureLogs('error');
    beforeAll(async () => {
      redis = await startRedisServer();
      // Sessions stay in memory here, so that what is measured is the message storage alone.
      app = await startRedisInstance(redis.url, { platform, sessionsInRedis: false });
      cookie = cookieOf(await request(app.url).post('/session/login'));
      expect((await request(app.url).get('/echo').set('Cookie', cookie)).body.messages).toHaveLength(1);
    });
    afterAll(async () => {
      await app?.close();
      await redis?.dispose();
    });

    it('with sessions in the same Redis too, answers a JSON error at once rather than waiting, and recovers', async () => {
      const both = await startRedisInstance(redis.url, { platform });
      try {
        const signedIn = cookieOf(await request(both.url).post('/session/login'));
        await redis.stop();
        await until(async () => (both.client.isReady ? undefined : true), 5);
        const started = Date.now();
        const res = await request(both.url).get('/echo').set('Cookie', signedIn).timeout(3000);
        expect(Date.now() - started).toBeLessThan(1_000);
        // express-session fails first, on reading the session: an error the module cannot tell from a bug.
        expect(res.status).toBe(500);
        expect(res.body).toEqual({ status: 'error', error: 'Internal server error' });
        await redis.start();
        await until(async () => ((await request(both.url).get('/echo').set('Cookie', signedIn)).status === 200 ? true : undefined), 10);
      } finally {
        await both.close();
      }
      // The Redis of the tests below lost its data with the restart: sign in again.
      await until(async () => (app.client.isReady ? true : undefined), 10);
      cookie = cookieOf(await request(app.url).post('/session/login'));
      await request(app.url).get('/echo').set('Cookie', cookie);
    }, 30_000);

    it('answers 503 JSON at once while Redis is down, then recovers by itself when it is back', async () => {
      await redis.stop();
      await until(async () => (app.client.isReady ? undefined : true), 5);

      const started = Date.now();
      const json = await request(app.url).get('/echo?add=during').set('Cookie', cookie);
      expect(json.status).toBe(503);
      expect(json.body).toEqual(UNAVAILABLE);
      const redirect = await request(app.url).post('/flash/redirect?add=during').set('Cookie', cookie);
      expect(redirect.status).toBe(503);
      expect(redirect.headers.location).toBeUndefined();
      expect(redirect.body).toEqual(UNAVAILABLE);
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(errors.join('\n')).toContain('the Redis client is not connected');

      await redis.start();
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
      redis.pause();
      try {
        const started = Date.now();
        const res = await request(app.url).get('/echo').set('Cookie', cookie);
        const elapsed = Date.now() - started;
        expect(res.status).toBe(503);
        expect(res.body).toEqual(UNAVAILABLE);
        expect(elapsed).toBeGreaterThanOrEqual(450);
        expect(elapsed).toBeLessThan(2_000);
      } finally {
        redis.resume();
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
