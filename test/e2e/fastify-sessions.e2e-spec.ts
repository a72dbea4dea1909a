import { All, Controller, Post, Query, Redirect, Req } from '@nestjs/common';
import { Ajax, Messages, RedisMessageStorage, type RequestMessages } from '../../lib/index.js';
import { captureLogs } from '../fixtures/capture-logs.js';
import { type RedisServer, redisTestsRun, startRedisServer } from '../fixtures/redis-server.js';
import { type FastifySessions, startTestApp, type TestApp } from '../fixtures/test-app.js';
import { createClient } from 'redis';

/** A Fastify session as both plugins give it: @fastify/session's regenerate() takes a callback or gives a promise. */
interface FastifySession {
  regenerate(callback?: (error?: unknown) => void): unknown;
}

const info = (message: string) => ({ message, tags: 'info' });

@Controller('fs')
class RegeneratingController {
  @Post('flash')
  @Redirect('/fs/ping', 302)
  flash(@Query('add') add: string, @Messages() messages: RequestMessages): void {
    messages.info(add);
  }

  /** A change of privilege: the message added before the regenerate is this visitor's. */
  @Post('regenerate')
  @Redirect('/fs/ping', 302)
  async regenerate(
    @Req() req: { session: FastifySession },
    @Query('before') before: string,
    @Query('style') style: string | undefined,
    @Messages() messages: RequestMessages,
  ): Promise<void> {
    messages.info(before);
    if (style === 'callback') {
      await new Promise<void>((resolve, reject) => req.session.regenerate((error) => (error ? reject(error) : resolve())));
    } else {
      await req.session.regenerate();
    }
  }

  @All('ping')
  @Ajax()
  ping(): { ok: true } {
    return { ok: true };
  }
}

/**
 * The sessions of Fastify apps: `@fastify/session` (a store, regenerate() by
 * promise or callback, a new session object) and `@fastify/secure-session`
 * (the session in an encrypted cookie, regenerate() empties it in place).
 * Messages travel across a redirect in both, and a regenerate carries the
 * messages its request added, never earlier ones, as on Express.
 */
describe.each<[string, FastifySessions, string[]]>([
  ['@fastify/session', 'session', ['promise', 'callback']],
  ['@fastify/secure-session', 'secure-session', ['sync']],
])('Fastify with %s', (_name, fastifySessions, styles) => {
  let t: TestApp;
  captureLogs('warn');
  beforeAll(async () => {
    t = await startTestApp({ platform: 'fastify', fastifySessions, ajax: { global: true }, controllers: [RegeneratingController] });
  });
  afterAll(() => t.close());

  it('a message added before a redirect is delivered once by the next JSON response', async () => {
    const visitor = t.agent();
    expect((await visitor.post('/fs/flash?add=Saved.')).status).toBe(302);
    expect((await visitor.get('/fs/ping')).body).toEqual({ ok: true, messages: [info('Saved.')] });
    expect((await visitor.get('/fs/ping')).body).toEqual({ ok: true });
  });

  it.each(styles)('regenerate() (%s): the message added before it is delivered next, an earlier one is not', async (style) => {
    const visitor = t.agent();
    await visitor.post('/fs/flash?add=Earlier.');
    const regenerated = await visitor.post(`/fs/regenerate?before=Before.&style=${style}`);
    expect([regenerated.status, regenerated.headers.location]).toEqual([302, '/fs/ping']);
    expect((await visitor.get('/fs/ping')).body).toEqual({ ok: true, messages: [info('Before.')] });
    expect((await visitor.get('/fs/ping')).body).toEqual({ ok: true });
  });
});

(redisTestsRun() ? describe : describe.skip)('Fastify with @fastify/session and RedisMessageStorage', () => {
  let redis: RedisServer;
  let client: ReturnType<typeof createClient>;
  let t: TestApp;
  captureLogs('warn');
  beforeAll(async () => {
    redis = await startRedisServer();
    client = createClient({ url: redis.url, disableOfflineQueue: true });
    client.on('error', () => undefined);
    await client.connect();
    const storage = new RedisMessageStorage(client, { timeoutMs: 500 });
    t = await startTestApp({ platform: 'fastify', ajax: { global: true, messages: { storage } }, controllers: [RegeneratingController] });
  });
  afterAll(async () => {
    await t?.close();
    client?.destroy();
    await redis?.dispose();
  });

  it('keys the messages by @fastify/session\'s session id, and moves this request\'s at a regenerate', async () => {
    const visitor = t.agent();
    await visitor.post('/fs/flash?add=Earlier.');
    expect((await client.keys('nestjs-ajax:messages:*')).length).toBe(1);
    await visitor.post('/fs/regenerate?before=Before.');
    expect((await visitor.get('/fs/ping')).body).toEqual({ ok: true, messages: [info('Before.')] });
    expect((await visitor.get('/fs/ping')).body).toEqual({ ok: true });
  });
});
