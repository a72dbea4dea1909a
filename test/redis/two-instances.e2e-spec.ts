import { createRequire } from 'node:module';
import request from 'supertest';
import { CLIENT_KINDS_OF_THIS_RUN } from '../fixtures/redis-clients.js';
import { redisCli } from '../fixtures/redis-process.js';
import { cookieOf, type KindInstance, sessionIdOf, startKindInstance } from '../fixtures/redis-instance.js';
import { redisTestsRun } from '../fixtures/redis-server.js';
import { shareRedis } from '../fixtures/shared-redis.js';
import { PLATFORMS } from '../fixtures/test-app.js';
import { until } from '../fixtures/until.js';

/** Enough visitors that each of the three nodes owns one, but a bound: (2/3)^40 × 3 is one miss in three million. */
const MAX_VISITORS = 40;

(redisTestsRun() ? describe : describe.skip)('two app instances sharing one Redis', () => {
  const redis = shareRedis(CLIENT_KINDS_OF_THIS_RUN);

  describe.each(PLATFORMS)('on %s', (platform) => {
    describe.each(CLIENT_KINDS_OF_THIS_RUN)('with $name', (kind) => {
      let a: KindInstance;
      let b: KindInstance;
      beforeAll(async () => {
        a = await startKindInstance(kind, redis, { platform });
        b = await startKindInstance(kind, redis, { platform });
      });
      afterAll(async () => {
        await a?.close();
        await b?.close();
      });

      it(`is ${kind.package.name} ${kind.package.major}`, () => {
        const { version } = createRequire(import.meta.url)(`${kind.package.name}/package.json`) as { version: string };
        expect(version.split('.')[0]).toBe(String(kind.package.major));
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
        const key = `nestjs-ajax:messages:{${sessionIdOf(cookieOf(login))}}`;
        expect(await a.messages.send('TYPE', key)).toBe('zset');
        expect(await a.messages.send('ZCARD', key)).toBe(1);
        const ttl = Number(await a.messages.send('TTL', key));
        expect(ttl).toBeGreaterThan(86_000);
        expect(ttl).toBeLessThanOrEqual(86_400);
        await request(b.url).get('/echo').set('Cookie', cookieOf(login));
        expect(await a.messages.send('EXISTS', key)).toBe(0);
      });

      if (kind.cluster) {
        it("keeps a visitor's two keys on one slot, and takes from each of the three nodes", async () => {
          const owners = new Set<number>();
          for (let visitor = 0; visitor < MAX_VISITORS && owners.size < redis.cluster.ports.length; visitor++) {
            const login = await request(a.url).post('/session/login');
            const pending = `nestjs-ajax:messages:{${sessionIdOf(cookieOf(login))}}`;
            const slot = Number(await a.messages.send('CLUSTER', 'KEYSLOT', pending));
            expect(Number(await a.messages.send('CLUSTER', 'KEYSLOT', `${pending}:claims`))).toBe(slot);
            const owner = redis.cluster.ownerOf(slot);
            // Asked directly, without following redirections: the set lives on the node that owns its slot.
            expect((await redisCli(owner, 'ZCARD', pending)).trim()).toBe('1');
            owners.add(owner);

            const onB = await request(b.url).get('/echo').set('Cookie', cookieOf(login));
            expect(onB.body.messages).toEqual([{ message: 'Welcome back, ada.', tags: 'success' }]);
            expect((await redisCli(owner, 'EXISTS', pending)).trim()).toBe('0');
            // The claim is deleted once the response is written, just after the client has it.
            await until(async () => ((await redisCli(owner, 'EXISTS', `${pending}:claims`)).trim() === '0' ? true : undefined), 5);
          }
          expect([...owners].sort()).toEqual([...redis.cluster.ports].sort());
        });
      }
    });
  });
});
