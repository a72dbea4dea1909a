import { BadRequestException, Controller, Get, InternalServerErrorException, type MessageEvent, Res, ServiceUnavailableException, Sse, type Type } from '@nestjs/common';
import { Redis, type RedisOptions } from 'ioredis';
import { get } from 'node:http';
import { catchError, concat, concatMap, from, interval, map, type Observable, of } from 'rxjs';
import request from 'supertest';
import { Ajax, Messages, RedisMessageStorage, type RedisMessageStorageOptions, type RequestMessages } from '../../lib/index.js';
import { CLAIM, COMMIT_CLAIMS, RENEW_CLAIMS } from '../../lib/messages/redis/redis-scripts.js';
import { EchoMessagesController } from '../fixtures/echo-messages.controller.js';
import { firstEventStaying, firstEventThenLeave, MessagesEventsController, readStream } from '../fixtures/event-streams.js';
import { type FaultProxy, startFaultProxy } from '../fixtures/fault-proxy.js';
import { FlashController } from '../fixtures/flash.controller.js';
import { cookieOf, connectRedisClient, type RedisClient, sessionIdOf } from '../fixtures/redis-instance.js';
import { type RedisServer, redisTestsRun, startRedisServer } from '../fixtures/redis-server.js';
import { type Platform, PLATFORMS, startTestApp, type TestApp } from '../fixtures/test-app.js';
import { UNAVAILABLE, until } from '../fixtures/until.js';

const TIMEOUT_MS = 300;
const texts = (res: { body: { messages?: Array<{ message: string }> } }) => (res.body.messages ?? []).map((m) => m.message);
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The Redis server of the running describe block, which a handler can freeze for a while. */
let server: RedisServer | undefined;
/** Freezes Redis for longer than the storage waits: the commands sent meanwhile run once it thaws. */
function stallRedis(): void {
  server!.pause();
  setTimeout(() => server!.resume(), TIMEOUT_MS + 400);
}

@Controller('stall')
class StallController {
  /** Takes the pending messages into its body, then Redis stalls: the module's own take for the JSON answer times out. */
  @Get('take')
  @Ajax()
  async take(@Messages() messages: RequestMessages): Promise<{ taken: string[] }> {
    const taken = await messages.consume();
    stallRedis();
    return { taken: taken.map((m) => m.message) };
  }

  /** Takes the pending messages into its body, then adds one while Redis stalls: the write times out. */
  @Get('add')
  @Ajax()
  async add(@Messages() messages: RequestMessages): Promise<{ taken: string[] }> {
    const taken = await messages.consume();
    stallRedis();
    messages.info('added while Redis stalls');
    return { taken: taken.map((m) => m.message) };
  }
}

@Controller('throws')
class ThrowingController {
  /** Takes the pending messages, then throws: the module's error answer replaces the one they were taken for. */
  @Get('after-a-take')
  @Ajax()
  async afterTake(@Messages() messages: RequestMessages): Promise<never> {
    await messages.consume();
    throw new BadRequestException('Not this time');
  }

  /** Takes the pending messages while Redis stalls, waits for it, then answers 503 itself: its error answer takes them. */
  @Get('own-503')
  @Ajax()
  async own503(@Messages() messages: RequestMessages): Promise<never> {
    stallRedis();
    const failed = await messages.consume().then(
      () => false,
      () => wait(TIMEOUT_MS + 700).then(() => true),
    );
    if (failed) throw new ServiceUnavailableException('Try again');
    throw new InternalServerErrorException('The take did not fail');
  }

  /**
   * Takes the pending messages, then a second take fails while Redis stalls; once it thaws, answers a server error
   * of its own, which the module cannot tell carried nothing: what the first take claimed must come back.
   */
  @Get('own-500')
  @Ajax()
  async own500(@Messages() messages: RequestMessages, @Res({ passthrough: true }) res: { status(code: number): unknown }): Promise<{ error: string }> {
    await messages.consume();
    stallRedis();
    await messages.consume().catch(() => wait(TIMEOUT_MS + 700));
    res.status(500);
    return { error: 'our own' };
  }
}

/** How long the slow route works after its take: more than twice the storage's reclaimAfterMs (1,000 ms here). */
const SLOW_MS = 2_500;

@Controller('slow')
class SlowController {
  /** Takes the pending messages into its body, then works for longer than reclaimAfterMs before it answers. */
  @Get()
  @Ajax()
  async slow(@Messages() messages: RequestMessages): Promise<{ taken: string[] }> {
    const taken = await messages.consume();
    await wait(SLOW_MS);
    return { taken: taken.map((m) => m.message) };
  }
}

/** Every 100 ms, the pending messages taken and sent as an event; a take that fails sends `{ failed: true }`, and the stream goes on. */
function tickingTakes(messages: RequestMessages): Observable<MessageEvent> {
  return interval(100).pipe(
    concatMap(() =>
      from(messages.consume()).pipe(
        map((taken): MessageEvent => ({ data: { messages: taken.map((m) => m.message) } })),
        catchError(() => of<MessageEvent>({ data: { failed: true } })),
      ),
    ),
  );
}

@Controller('ticker')
class TickerController {
  @Sse()
  stream(@Messages() messages: RequestMessages): Observable<MessageEvent> {
    return tickingTakes(messages);
  }

  /** Takes the pending messages before the stream starts, and starts it all the same when that take fails. */
  @Sse('after-a-first-take')
  async afterFirstTake(@Messages() messages: RequestMessages): Promise<Observable<MessageEvent>> {
    const failed = await messages.consume().then(
      () => false,
      () => true,
    );
    return concat(of<MessageEvent>({ data: { firstTakeFailed: failed } }), tickingTakes(messages));
  }
}

/** An app whose messages are in the Redis at `url` (its client closed with the app), with the flash and echo routes and `controllers`. */
async function startAppOnRedis(platform: Platform, url: string, options: RedisMessageStorageOptions, controllers: Type[]): Promise<TestApp> {
  const client = await connectRedisClient(url);
  const t = await startTestApp({
    platform,
    ajax: { messages: { storage: new RedisMessageStorage(client, options) } },
    controllers: [FlashController, EchoMessagesController, ...controllers],
  });
  const close = t.close;
  t.close = async () => {
    await close();
    client.destroy();
  };
  return t;
}

describe.each(PLATFORMS)('on %s', (platform) => {
  (redisTestsRun() ? describe : describe.skip)('when a take is settled', () => {
    let direct: RedisClient;
    let t: TestApp;

    beforeAll(async () => {
      server = await startRedisServer();
      direct = await connectRedisClient(server.url);
      t = await startAppOnRedis(platform, server.url, { timeoutMs: TIMEOUT_MS, reclaimAfterMs: 1_000 }, [StallController, MessagesEventsController, SlowController, TickerController, ThrowingController]);
    });
    afterAll(async () => {
      await t?.close();
      direct?.destroy();
      await server?.dispose();
      server = undefined;
    });

    const visitorWith = async (text: string) => {
      const added = await request(t.url).post(`/flash/redirect?add=${text}`);
      expect(added.status).toBe(302);
      const cookie = cookieOf(added);
      return { cookie, claims: `nestjs-ajax:messages:{${sessionIdOf(cookie)}}:claims` };
    };
    const settled = (claims: string) => until(async () => ((await direct.exists(claims)) === 0 ? true : undefined), 3);

    it('puts back what a take claimed when the answer that carried it became a 503, as a later take of the request timed out', async () => {
      const { cookie, claims } = await visitorWith('taken-first');
      const stalled = await request(t.url).get('/stall/take').set('Cookie', cookie);
      // The handler had the message in its body, but that body never went out: the module's take timed out.
      expect(stalled.status).toBe(503);
      expect(stalled.body).toEqual(UNAVAILABLE);
      await wait(500); // Redis thaws and runs what was sent meanwhile
      await settled(claims);
      expect(texts(await request(t.url).get('/echo').set('Cookie', cookie))).toEqual(['taken-first']);
    });

    it('puts back what a take claimed when the answer that carried it became a 503, as a later write of the request timed out', async () => {
      const { cookie, claims } = await visitorWith('taken-then-write');
      const stalled = await request(t.url).get('/stall/add').set('Cookie', cookie);
      expect(stalled.status).toBe(503);
      expect(stalled.body).toEqual(UNAVAILABLE);
      await wait(500);
      await settled(claims);
      // The write that timed out stored its message all the same (as the README says); the taken one must come back too.
      expect(texts(await request(t.url).get('/echo').set('Cookie', cookie))).toEqual(['taken-then-write', 'added while Redis stalls']);
    });

    it('keeps a claim past its stale bound, however short the messages\' TTL', async () => {
      const pending = `nestjs-ajax:messages:{short-ttl-${platform}}`;
      await direct.zAdd(pending, { score: 1, value: '2:{}' });
      // A TTL of 1 s and a stale bound of 5 s: the claim must still be there when it is due back.
      await direct.eval(CLAIM, { keys: [pending, `${pending}:claims`], arguments: ['short-ttl', '5000', '1'] });
      expect(await direct.ttl(`${pending}:claims`)).toBeGreaterThanOrEqual(5);
      await direct.del(`${pending}:claims`);
    });

    it('deletes ten thousand delivered claims of one visitor in one commit', async () => {
      // One HDEL of them all would unpack its arguments onto Lua's stack, which holds about 8,000.
      const claims = `nestjs-ajax:messages:{many-claims-${platform}}:claims`;
      const ids = Array.from({ length: 10_000 }, (_, i) => `claim-${i}`);
      await direct.hSet(claims, Object.fromEntries(ids.map((id) => [id, '1:[]'])));
      expect(await direct.eval(COMMIT_CLAIMS, { keys: [claims], arguments: ids })).toBe(10_000);
      expect(await direct.exists(claims)).toBe(0);
    });

    it('renews the date of the claims it is given, their messages kept, and leaves one merged back already', async () => {
      const claims = `nestjs-ajax:messages:{renewed-${platform}}:claims`;
      await direct.hSet(claims, { kept: '1:["2:{}","5"]' });
      expect(await direct.eval(RENEW_CLAIMS, { keys: [claims], arguments: ['60', '30000', 'kept', 'merged-back'] })).toBe(1);
      const [at, list] = (await direct.hGet(claims, 'kept'))!.split(/:(.*)/s);
      expect(Math.abs(Number(at) - Date.now())).toBeLessThan(5_000);
      expect(list).toBe('["2:{}","5"]');
      expect(Number(await direct.hExists(claims, 'merged-back'))).toBe(0);
      expect(await direct.ttl(claims)).toBeGreaterThan(80);
      await direct.del(claims);
    });

    it('delivers once a message sent in an event stream the visitor then closed', async () => {
      const { cookie, claims } = await visitorWith('streamed');
      const event = await firstEventThenLeave(`${t.url}/events`, cookie);
      expect(event).toContain('streamed');
      await settled(claims);
      // The stream carried it to the page: the next answer must not carry it again.
      expect(texts(await request(t.url).get('/echo').set('Cookie', cookie))).toEqual([]);
    });

    it('delivers once a message sent in an event stream that stays open past reclaimAfterMs', async () => {
      const { cookie, claims } = await visitorWith('streamed-staying');
      const { event, leave } = await firstEventStaying(`${t.url}/events`, cookie);
      try {
        expect(event).toContain('streamed-staying');
        // The page keeps its event source open far longer than a JSON answer takes (reclaimAfterMs is 1,000 ms here):
        // the stream has started, so what it took counts as delivered, while it is still open.
        await settled(claims);
        await wait(1_500);
        expect(texts(await request(t.url).get('/echo').set('Cookie', cookie))).toEqual([]);
      } finally {
        leave();
      }
    });

    it('delivers once what an event stream carried after one of its takes failed', async () => {
      const { cookie, claims } = await visitorWith('before-the-failure');
      const stream = readStream(`${t.url}/ticker`, cookie);
      try {
        await until(async () => (stream.text().includes('before-the-failure') ? true : undefined), 3);
        stallRedis();
        await until(async () => (stream.text().includes('"failed":true') ? true : undefined), 3);
        await wait(500); // Redis thaws
        for (const text of ['after-1', 'after-2']) expect((await request(t.url).post(`/flash/redirect?add=${text}`).set('Cookie', cookie)).status).toBe(302);
        await until(async () => (stream.text().includes('after-2') ? true : undefined), 3);
      } finally {
        stream.leave();
      }
      // The stream had started: the failed take could not make it the module's 503, and what it sent stands.
      await settled(claims);
      expect(texts(await request(t.url).get('/echo').set('Cookie', cookie))).toEqual([]);
    });

    it('delivers once what an event stream carried when a take before it started failed and its handler went on', async () => {
      const { cookie, claims } = await visitorWith('kept-by-the-failure');
      stallRedis();
      const stream = readStream(`${t.url}/ticker/after-a-first-take`, cookie);
      try {
        await until(async () => (stream.text().includes('"firstTakeFailed":true') ? true : undefined), 3);
        await until(async () => (stream.text().includes('kept-by-the-failure') ? true : undefined), 3);
        expect((await request(t.url).post('/flash/redirect?add=after-it').set('Cookie', cookie)).status).toBe(302);
        await until(async () => (stream.text().includes('after-it') ? true : undefined), 3);
      } finally {
        stream.leave();
      }
      // The failure did not make the stream the module's 503: what it sent stands.
      await settled(claims);
      expect(texts(await request(t.url).get('/echo').set('Cookie', cookie))).toEqual([]);
    });

    // [what is checked, route, message, the error answer's status, whether it carries the message (else the next request does)]
    const ERROR_ANSWERS: ReadonlyArray<[string, string, string, number, boolean]> = [
      ['puts back what a handler took before it threw: the error answer carries it, once', 'after-a-take', 'taken-then-thrown', 400, true],
      ['delivers once what the error answer carried when the handler answered a 503 of its own after a failed take', 'own-503', 'carried-by-its-503', 503, true],
      ['puts back what a request took when a later take failed and the handler answered a server error of its own', 'own-500', 'kept-by-a-500', 500, false],
    ];
    it.each(ERROR_ANSWERS)('%s', async (_, route, text, status, carried) => {
      const { cookie, claims } = await visitorWith(text);
      const answered = await request(t.url).get(`/throws/${route}`).set('Cookie', cookie);
      expect(answered.status).toBe(status);
      expect(texts(answered)).toEqual(carried ? [text] : []);
      await settled(claims);
      expect(texts(await request(t.url).get('/echo').set('Cookie', cookie))).toEqual(carried ? [] : [text]);
    });

    it('delivers once, in its own answer, a message a handler took before working longer than reclaimAfterMs', async () => {
      const { cookie, claims } = await visitorWith('taken-by-slow');
      const slow = request(t.url).get('/slow').set('Cookie', cookie).then((res) => res);
      // Past reclaimAfterMs, the visitor's other requests must still leave the slow route's claim alone.
      await wait(1_800);
      expect(texts(await request(t.url).get('/echo').set('Cookie', cookie))).toEqual([]);
      const answered = await slow;
      expect(answered.status).toBe(200);
      expect(answered.body.taken).toEqual(['taken-by-slow']);
      await settled(claims);
      expect(texts(await request(t.url).get('/echo').set('Cookie', cookie))).toEqual([]);
    });
  });

  (redisTestsRun() ? describe : describe.skip)('when a stream\'s take comes back after the stream closed', () => {
    let redis: RedisServer;
    let t: TestApp;

    beforeAll(async () => {
      redis = await startRedisServer();
      // Long enough a time-out that the take waits for Redis rather than fail.
      t = await startAppOnRedis(platform, redis.url, { timeoutMs: 5_000, reclaimAfterMs: 60_000 }, [MessagesEventsController]);
    });
    afterAll(async () => {
      await t?.close();
      await redis?.dispose();
    });

    it('puts its messages back: nothing carried them', async () => {
      const added = await request(t.url).post('/flash/redirect?add=taken-too-late');
      const cookie = cookieOf(added);
      redis.pause();
      try {
        // The stream's headers go out at once; its take waits for Redis, and the page goes away meanwhile.
        await new Promise<void>((resolve, reject) => {
          const req = get(`${t.url}/events`, { headers: { cookie, accept: 'text/event-stream' } }, () => {
            req.destroy();
            resolve();
          });
          req.on('error', reject);
        });
        await wait(300);
      } finally {
        redis.resume();
      }
      const res = await until(async () => {
        const attempt = texts(await request(t.url).get('/echo').set('Cookie', cookie));
        return attempt.length > 0 ? attempt : undefined;
      }, 3);
      expect(res).toEqual(['taken-too-late']);
    });
  });

  /** ioredis as the README advises (a command in flight fails with its connection), and as it comes (it sends it again). */
  const IOREDIS_SETTINGS: ReadonlyArray<[string, RedisOptions, number]> = [
    ['as the README advises', { maxRetriesPerRequest: 0 }, 0],
    ['as it comes, sending the write again', {}, 1],
  ];
  (redisTestsRun() ? describe.each(IOREDIS_SETTINGS) : describe.skip.each(IOREDIS_SETTINGS))('with ioredis %s, when the reply of a write is lost', (_, settings, twice) => {
    /** A fragment of the add script's text: how the proxy knows a write on the wire. */
    const ADD = 'local maxCount, maxBytes = tonumber(ARGV[3]), tonumber(ARGV[4])';
    let redis: RedisServer;
    let proxy: FaultProxy;
    let client: Redis;
    let direct: RedisClient;
    let t: TestApp;

    beforeAll(async () => {
      redis = await startRedisServer();
      proxy = await startFaultProxy(redis.port);
      direct = await connectRedisClient(redis.url);
      // As the README advises; it reconnects after 300 ms, long enough for another request to come in between.
      client = new Redis(proxy.url, { enableOfflineQueue: false, retryStrategy: () => 300, lazyConnect: true, ...settings });
      client.on('error', () => undefined);
      await client.connect();
      t = await startTestApp({
        platform,
        ajax: { messages: { storage: new RedisMessageStorage(client, { timeoutMs: 1_000 }) } },
        controllers: [FlashController, EchoMessagesController],
      });
    });
    afterAll(async () => {
      await t?.close();
      client?.disconnect();
      direct?.destroy();
      await proxy?.close();
      await redis?.dispose();
    });

    it(`delivers ${twice} time(s) more a message that another request of the visitor took while the client was reconnecting`, async () => {
      const first = await request(t.url).post('/flash/redirect?add=first');
      const cookie = cookieOf(first);
      expect(texts(await request(t.url).get('/echo').set('Cookie', cookie))).toEqual(['first']);
      const pending = `nestjs-ajax:messages:{${sessionIdOf(cookie)}}`;

      const cut = proxy.cutNext(ADD, 'before-reply');
      const posted = request(t.url).post('/flash/redirect?add=once').set('Cookie', cookie).then((res) => res);
      await cut;
      // Redis ran the write; its reply was lost. Meanwhile another request of the visitor (on another instance)
      // takes the message and delivers it: its claim, then the claim's deletion once its answer is written.
      const other = await direct.eval(CLAIM, { keys: [pending, `${pending}:claims`], arguments: ['other-instance-1', '60000', '86400'] });
      expect(String(other)).toContain('once');
      await direct.eval(COMMIT_CLAIMS, { keys: [`${pending}:claims`], arguments: ['other-instance-1'] });

      // Told to fail what was in flight, the client fails the write: 503, though Redis stored it (the README says so).
      // As it comes, it reconnects and sends the write again, which adds the message a second time.
      expect((await posted).status).toBe(twice ? 302 : 503);
      const again = texts(await until(async () => {
        const res = await request(t.url).get('/echo').set('Cookie', cookie);
        return res.status === 200 ? res : undefined;
      }, 5));
      expect(again).toEqual(twice ? ['once'] : []);
    });
  });
});
