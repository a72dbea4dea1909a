import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createDemoApp } from '../../demo/create-demo-app.js';
import { cookieOf } from '../fixtures/redis-instance.js';
import { type RedisServer, redisTestsRun, startRedisServer } from '../fixtures/redis-server.js';

(redisTestsRun() ? describe : describe.skip)('the demo with REDIS_URL, on two instances', () => {
  let redis: RedisServer;
  const apps: INestApplication[] = [];
  const urls: string[] = [];
  beforeAll(async () => {
    redis = await startRedisServer();
    for (let i = 0; i < 2; i++) {
      const app = await createDemoApp({ logger: false, redisUrl: redis.url, sessionSecret: 'shared by both instances' });
      await app.listen(0, '127.0.0.1');
      apps.push(app);
      urls.push(`http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`);
    }
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await redis?.dispose();
  });

  it('refuses to start with Redis but without a shared session secret', async () => {
    await expect(createDemoApp({ logger: false, redisUrl: redis.url })).rejects.toThrow(/set SESSION_SECRET too/);
  });

  it('logs in on one instance and greets the visitor on the other', async () => {
    const login = await request(urls[0]).post('/account/login').type('form').send({ username: 'ada', password: 'lovelace' });
    expect(login.status).toBe(302);
    const cookie = cookieOf(login);
    const account = await request(urls[1]).get('/api/account').set('Cookie', cookie);
    expect(account.body).toEqual({ user: 'ada', messages: [{ message: 'Welcome back, ada.', tags: 'success' }] });
    const vote = await request(urls[1]).post('/api/polls/1/vote').set('Cookie', cookie).send({ choice: 2 });
    expect(vote.body).toEqual({ choice: 2, votes: 1, success: true, messages: [{ message: 'Vote recorded.', tags: 'success' }] });
  });
});
