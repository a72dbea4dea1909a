import request from 'supertest';
import { cookieOf, type RedisInstance, sessionIdOf, startRedisInstance } from '../fixtures/redis-instance.js';
import { type RedisServer, redisTestsRun, startRedisServer } from '../fixtures/redis-server.js';
import { PLATFORMS } from '../fixtures/test-app.js';

describe.each(PLATFORMS)('on %s', (platform) => {
  (redisTestsRun() ? describe : describe.skip)('two app instances sharing one Redis', () => {
    let redis: RedisServer;
    let a: RedisInstance;
    let b: RedisInstance;
    beforeAll(async () => {
      redis = await startRedisServer();
      a = await startRedisInstance(redis.url, { platform });
      b = await startRedisInstance(redis.url, { platform });
    });
    afterAll(async () => {
      await a?.close();
      await b?.close();
      await redis?.dispose();
    });

    it('delivers once, on instance B, a message added on instance A before a redirect', async () => {
      const login = await request(a.url).post('/session/login');
      expect(login.status).toBe(302);
      const cookie = cookieOf(login);

      const onB = await request(b.url).get('/echo').set('Cookie', cookie);
      expect(onB.body).toEqual({ added: [], messages: [{ message: 'Welcome back, ada.', tags: 'success' }] });
      // The session itself travelled too: B knows who is signed in.
      const signedIn = await request(b.url).get('/session/me').set('Cookie', cookie);
      expect(signedIn.body).toEqual({ signedIn: true });
      expect((await request(b.url).get('/session/me')).status).toBe(401);

      const againOnB = await request(b.url).get('/echo').set('Cookie', cookie);
      const againOnA = await request(a.url).get('/echo').set('Cookie', cookie);
      expect(againOnB.body).toEqual({ added: [] });
      expect(againOnA.body).toEqual({ added: [] });
    });

    it('keeps the messages in a sorted set in Redis with a time to live, under the session id', async () => {
      const login = await request(a.url).post('/session/login');
      const sid = sessionIdOf(cookieOf(login));
      const key = `nestjs-ajax:messages:{${sid}}`;
      expect(await a.client.type(key)).toBe('zset');
      expect(await a.client.zCard(key)).toBe(1);
      const ttl = await a.client.ttl(key);
      expect(ttl).toBeGreaterThan(86_000);
      expect(ttl).toBeLessThanOrEqual(86_400);
      await request(b.url).get('/echo').set('Cookie', cookieOf(login));
      expect(await a.client.exists(key)).toBe(0);
    });
  });
});
