import { All, type ArgumentsHost, Catch, Controller, Get, Post, Query, Redirect, Req, Res } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { Ajax, AjaxExceptionFilter, Messages, RedisMessageStorage, type RequestMessages } from '../../lib/index.js';
import { captureLogs } from '../fixtures/capture-logs.js';
import { type RedisServer, redisTestsRun, startRedisServer } from '../fixtures/redis-server.js';
import { type FastifySessions, startTestApp, type TestApp } from '../fixtures/test-app.js';
import { createClient } from 'redis';

/** A Fastify session as both plugins give it: @fastify/session's regenerate() takes a callback or gives a promise. */
interface FastifySession {
  regenerate(callback?: (error?: unknown) => void): unknown;
  /** @fastify/secure-session's way to write a value. */
  set(key: string, value: unknown): void;
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
    @Query('own') own: string | undefined,
    @Messages() messages: RequestMessages,
  ): Promise<void> {
    // An app that names a value of its own "sessionId" (secure-session answers any name from its data).
    if (own) req.session.set('sessionId', own);
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

  /** A reply the handler takes over and writes itself, on a request with a body. */
  @Post('hijacked')
  hijacked(@Res() reply: { hijack(): void; raw: { end(text: string): void } }, @Messages() messages: RequestMessages): void {
    messages.info('Added before a hijacked reply.');
    reply.hijack();
    reply.raw.end('written raw');
  }
}

/** An app's own filter that writes its error bodies with Fastify's API. */
@Catch()
class OwnSendFilter extends AjaxExceptionFilter {
  protected override send(response: object, status: number, body: object): void {
    (response as { code(status: number): { send(body: object): void } }).code(status).send({ ...body, own: true });
  }

  override catch(exception: unknown, host: ArgumentsHost): void {
    super.catch(exception, host);
  }
}

/** A session store that fails every save, after a while, as a store that is down does. */
class FailingStore {
  set(_id: string, _session: unknown, callback: (error?: unknown) => void): void {
    setTimeout(() => callback(new Error('the session store is down')), 20);
  }

  get(_id: string, callback: (error: unknown, session?: unknown) => void): void {
    callback(null, undefined);
  }

  destroy(_id: string, callback: (error?: unknown) => void): void {
    callback();
  }
}

@Controller('store')
class StoreController {
  @Get('flash')
  @Ajax()
  flash(@Messages() messages: RequestMessages): string[] {
    // An array cannot carry it: the message stays pending, in a session that must then be saved.
    messages.info('Saved nowhere.');
    return ['ok'];
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

describe('Fastify with @fastify/secure-session, an app that keeps a "sessionId" of its own in the session', () => {
  let t: TestApp;
  captureLogs('warn');
  beforeAll(async () => {
    t = await startTestApp({ platform: 'fastify', fastifySessions: 'secure-session', ajax: { global: true }, controllers: [RegeneratingController] });
  });
  afterAll(() => t.close());

  it('regenerate(): the message added before it is still delivered next, an earlier one is not', async () => {
    const visitor = t.agent();
    await visitor.post('/fs/flash?add=Earlier.');
    await visitor.post('/fs/regenerate?before=Welcome%20back.&style=sync&own=app-own-id');
    expect((await visitor.get('/fs/ping')).body).toEqual({ ok: true, messages: [info('Welcome back.')] });
  });
});

describe('Fastify: replies the module must never leave unanswered', () => {
  captureLogs('error');

  it('a message added before a hijacked reply on a POST is kept for the next JSON response', async () => {
    const t = await startTestApp({ platform: 'fastify', ajax: { global: true }, controllers: [RegeneratingController] });
    try {
      const visitor = t.agent();
      await visitor.post('/fs/flash?add=First.');
      expect((await visitor.get('/fs/ping')).body.messages).toHaveLength(1);
      const raw = await visitor.post('/fs/hijacked').send({ vote: 1 });
      expect(raw.text).toBe('written raw');
      expect((await visitor.get('/fs/ping')).body).toEqual({ ok: true, messages: [info('Added before a hijacked reply.')] });
    } finally {
      await t.close();
    }
  });

  it("an app's filter that overrides send() with Fastify's reply.send() answers", async () => {
    const t = await startTestApp({
      platform: 'fastify',
      ajax: {},
      controllers: [RegeneratingController],
      providers: [{ provide: APP_FILTER, useClass: OwnSendFilter }],
    });
    try {
      const res = await t.http().get('/nowhere').timeout(3000);
      expect([res.status, res.body]).toEqual([404, { status: 'error', error: 'Not found', message: 'Cannot GET /nowhere', own: true }]);
    } finally {
      await t.close();
    }
  });

  it.each([
    ['with global: true', { global: true }],
    ['with @Ajax() alone', {}],
  ])('a session store that fails to save: an answer all the same (%s)', async (_name, ajax) => {
    const t = await startTestApp({
      platform: 'fastify',
      ajax,
      controllers: [StoreController],
      sessionStore: new FailingStore() as never,
    });
    try {
      const res = await t.http().get('/store/flash').timeout(3000);
      expect(res.status).toBe(500);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
    } finally {
      await t.close();
    }
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
