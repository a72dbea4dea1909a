import { Controller, Get } from '@nestjs/common';
import { get } from 'node:http';
import request from 'supertest';
import { Messages, RedisMessageStorage, type RequestMessages } from '../../lib/index.js';
import { EchoMessagesController } from '../fixtures/echo-messages.controller.js';
import { type FaultProxy, startFaultProxy } from '../fixtures/fault-proxy.js';
import { FlashController } from '../fixtures/flash.controller.js';
import { clientKind, IOREDIS_SENDING_AGAIN, type KindClient } from '../fixtures/redis-clients.js';
import { connectRedisClient, cookieOf, type RedisClient, sessionIdOf } from '../fixtures/redis-instance.js';
import { type RedisServer, redisTestsRun, startRedisServer } from '../fixtures/redis-server.js';
import { PLATFORMS, startTestApp, type TestApp } from '../fixtures/test-app.js';
import { UNAVAILABLE, until } from '../fixtures/until.js';

/** Fragments of the scripts' text: how the proxy knows a take, and a take's commit, on the wire. */
const TAKE = "local again = redis.call('HGET', KEYS[2], ARGV[1])";
const COMMIT = "deleted = deleted + redis.call('HDEL', KEYS[1], ARGV[i])";
const ROUNDS = 8;
const RECLAIM_AFTER_MS = 300;
/**
 * Long enough that a client which sends a cut command again (after its 100 ms
 * reconnection delay) always answers before the storage gives up, even on a
 * loaded host; the kinds that fail what was in flight answer at once, so no
 * round waits for it.
 */
const TIMEOUT_MS = 5_000;

/** A client of each library as the README advises, and ioredis as it comes, which sends again what was in flight. */
const KINDS = [clientKind('node-redis'), clientKind('ioredis'), IOREDIS_SENDING_AGAIN];

/** Takes the pending messages, then answers late: a visitor who goes away in between never gets the answer. */
@Controller('slow')
class SlowTakeController {
  @Get()
  async take(@Messages() messages: RequestMessages): Promise<{ taken: string[] }> {
    const taken = await messages.consume();
    await new Promise((resolve) => setTimeout(resolve, 400));
    return { taken: taken.map((m) => m.message) };
  }
}

const texts = (res: { body: { messages?: Array<{ message: string }> } }) => (res.body.messages ?? []).map((m) => m.message);

describe.each(PLATFORMS)('on %s', (platform) => {
  describe.each(KINDS.map((kind) => [kind.name, kind] as const))('with %s', (name, kind) => {
    (redisTestsRun() ? describe : describe.skip)('a connection that drops while a take is in flight', () => {
      let redis: RedisServer;
      let proxy: FaultProxy;
      let direct: RedisClient;
      let storage: KindClient;
      let t: TestApp;
      let cookie: string;
      let claims: string;

      beforeAll(async () => {
        redis = await startRedisServer();
        proxy = await startFaultProxy(redis.port);
        direct = await connectRedisClient(redis.url);
        storage = await kind.connect([proxy.url]);
        t = await startTestApp({
          platform,
          ajax: { messages: { storage: new RedisMessageStorage(storage.client, { timeoutMs: TIMEOUT_MS, reclaimAfterMs: RECLAIM_AFTER_MS }) } },
          controllers: [FlashController, EchoMessagesController, SlowTakeController],
        });
        const first = await request(t.url).post('/flash/redirect?add=hello');
        cookie = cookieOf(first);
        claims = `nestjs-ajax:messages:{${sessionIdOf(cookie)}}:claims`;
        expect(texts(await request(t.url).get('/echo').set('Cookie', cookie))).toEqual(['hello']);
      });
      afterAll(async () => {
        await t?.close();
        await storage?.close();
        direct?.destroy();
        await proxy?.close();
        await redis?.dispose();
      });

      /**
       * The storage's client is connected again, and any claim left behind is old enough to be taken back. A
       * client may still call itself ready just after the cut, before it has heard of it; a command answered
       * through it cannot be: while it reconnects one fails at once, and one in flight on the cut connection
       * fails or is sent again on the new one.
       */
      const settle = async () => {
        await until(() => storage.send('PING').then(() => true, () => undefined), 5);
        await new Promise((resolve) => setTimeout(resolve, RECLAIM_AFTER_MS + 50));
      };

      it(`loses nothing when the reply of a take is lost after Redis ran it (${ROUNDS} takes cut)`, async () => {
        const delivered: string[][] = [];
        let resent = 0;
        for (let round = 0; round < ROUNDS; round++) {
          expect((await request(t.url).post(`/flash/redirect?add=a${round},b${round}`).set('Cookie', cookie)).status).toBe(302);
          const cut = proxy.cutNext(TAKE, 'before-reply');
          const cutShort = await request(t.url).get('/echo').set('Cookie', cookie);
          await cut;
          if (cutShort.status === 200) {
            // A client that sends the take again once it has reconnected gets its answer from the same claim.
            resent += 1;
          } else {
            expect(cutShort.body).toEqual(UNAVAILABLE);
            // Redis ran the take: the messages sit in a claim whose reply never arrived.
            expect(await direct.hLen(claims)).toBe(1);
          }
          await settle();
          delivered.push([...texts(cutShort), ...texts(await request(t.url).get('/echo').set('Cookie', cookie))]);
        }
        const all = delivered.flat();
        const lost = Array.from({ length: ROUNDS }, (_, round) => [`a${round}`, `b${round}`]).flat().filter((m) => !all.includes(m));
        console.log(
          `${platform}, ${name}: ${ROUNDS} takes cut after Redis ran them (${resent} sent again by the client), ${lost.length} messages lost, ${all.length - 2 * ROUNDS} duplicates`,
        );
        // Each round's messages reach the visitor once, in order: with the answer to the take sent again, or the next request.
        expect(delivered).toEqual(Array.from({ length: ROUNDS }, (_, round) => [`a${round}`, `b${round}`]));
        // node-redis fails what was in flight, and so does ioredis told to; as it comes, ioredis sends it again.
        expect(resent).toBe(kind === IOREDIS_SENDING_AGAIN ? ROUNDS : 0);
        await until(async () => ((await direct.exists(claims)) === 0 ? true : undefined), 2);
      }, 30_000);

      it('delivers again, once, the messages of a response whose claim could not be deleted: the duplicate the design allows (none with a client that sends the deletion again)', async () => {
        let duplicates = 0;
        for (let round = 0; round < ROUNDS; round++) {
          const cut = proxy.cutNext(COMMIT, 'before-command');
          const first = await request(t.url).get(`/echo?add=c${round}`).set('Cookie', cookie);
          await cut;
          expect(texts(first)).toEqual([`c${round}`]);
          await settle();
          const again = await request(t.url).get('/echo').set('Cookie', cookie);
          expect(again.status).toBe(200);
          duplicates += texts(again).length;
          expect(texts(await request(t.url).get('/echo').set('Cookie', cookie))).toEqual([]);
        }
        console.log(`${platform}, ${name}: ${ROUNDS} claim deletions cut before Redis got them, ${duplicates} messages delivered twice, 0 lost`);
        // A client that fails what was in flight drops the deletion, and the claim comes back; one that sends it again does not.
        expect(duplicates).toBe(kind === IOREDIS_SENDING_AGAIN ? 0 : ROUNDS);
      }, 30_000);

      it('puts back the messages of a response the visitor went away from before it was written', async () => {
        expect((await request(t.url).post('/flash/redirect?add=kept').set('Cookie', cookie)).status).toBe(302);
        await new Promise<void>((resolve) => {
          const req = get(`${t.url}/slow`, { headers: { cookie } });
          req.on('error', () => resolve());
          setTimeout(() => {
            req.destroy();
            resolve();
          }, 150);
        });
        // Back at once, well before reclaimAfterMs: the storage heard that the response was cut short.
        const res = await until(async () => {
          const attempt = texts(await request(t.url).get('/echo').set('Cookie', cookie));
          return attempt.length > 0 ? attempt : undefined;
        }, 2);
        expect(res).toEqual(['kept']);
        const finished = await request(t.url).post('/flash/redirect?add=read').set('Cookie', cookie);
        expect(finished.status).toBe(302);
        expect((await request(t.url).get('/slow').set('Cookie', cookie)).body).toEqual({ taken: ['read'] });
        await until(async () => ((await direct.exists(claims)) === 0 ? true : undefined), 2);
        expect(texts(await request(t.url).get('/echo').set('Cookie', cookie))).toEqual([]);
      }, 30_000);
    });
  });
});
