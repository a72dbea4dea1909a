import fastifySession from '@fastify/session';
import { All, Controller, Post, Query, Redirect, Req } from '@nestjs/common';
import { JsonSessionStore } from '../../bench/json-session-store.js';
import { Ajax, Messages, type RequestMessages } from '../../lib/index.js';
import { captureLogs } from '../fixtures/capture-logs.js';
import { startTestApp, type TestApp } from '../fixtures/test-app.js';

/** `@fastify/session`'s session, as a handler sees it. */
interface FastifySession {
  regenerate(...args: unknown[]): unknown;
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}
type SessionRequest = { session: FastifySession };

const info = (message: string) => ({ message, tags: 'info' });
/** `@fastify/session`'s own store, which keeps each session as a live object (the README's Fastify set-up). */
const memoryStore = (): object => new (fastifySession as unknown as { MemoryStore: new () => object }).MemoryStore();

@Controller('r')
class RegenerateController {
  @Post('flash')
  @Redirect('/r/ping', 302)
  flash(@Query('add') add: string, @Messages() messages: RequestMessages): void {
    messages.info(add);
  }

  /** A log-out: a regenerate in a request that added no message. */
  @Post('logout')
  @Redirect('/r/ping', 302)
  async logout(@Req() req: SessionRequest): Promise<void> {
    await req.session.regenerate();
  }

  /** A log-out that says so: a message, then a regenerate. */
  @Post('logout-saying')
  @Redirect('/r/ping', 302)
  async logoutSaying(@Req() req: SessionRequest, @Messages() messages: RequestMessages): Promise<void> {
    messages.info('Signed out.');
    await req.session.regenerate();
  }

  /** As @fastify/passport's logIn(): a regenerate keeping some keys, then another. */
  @Post('twice')
  @Redirect('/r/ping', 302)
  async twice(@Req() req: SessionRequest, @Messages() messages: RequestMessages): Promise<void> {
    messages.info('Before.');
    await req.session.regenerate(['userId']);
    await req.session.regenerate();
  }

  @Post('stale')
  @Redirect('/r/ping', 302)
  async stale(@Req() req: SessionRequest, @Messages() messages: RequestMessages): Promise<void> {
    messages.info('Before.');
    const session = req.session;
    await session.regenerate();
    await session.regenerate();
  }

  @Post('keys')
  @Redirect('/r/ping', 302)
  async keys(@Req() req: SessionRequest, @Query('style') style: string, @Messages() messages: RequestMessages): Promise<void> {
    req.session.set('userId', 'ada');
    messages.info('Before.');
    if (style === 'callback') await new Promise<void>((done, fail) => req.session.regenerate(['userId'], (error?: unknown) => (error ? fail(error) : done())));
    else await req.session.regenerate(['userId']);
  }

  @Post('count')
  @Ajax()
  async count(@Req() req: SessionRequest, @Query('add') add: string | undefined, @Messages() messages: RequestMessages): Promise<{ calls: number }> {
    if (add) messages.info(add);
    let calls = 0;
    await new Promise<void>((done) => req.session.regenerate(() => (calls++, done())));
    // A second call of the callback would come after the first.
    await new Promise((resolve) => setTimeout(resolve, 20));
    return { calls };
  }

  @All('ping')
  @Ajax()
  ping(@Req() req: SessionRequest): { ok: true; user?: unknown } {
    const user = req.session.get('userId');
    return user ? { ok: true, user } : { ok: true };
  }
}

describe.each([
  ['a store that keeps sessions as JSON', () => new JsonSessionStore()],
  ["@fastify/session's own MemoryStore, which keeps live objects", memoryStore],
])("Fastify, @fastify/session's regenerate() with %s", (_name, store) => {
  let app: TestApp;
  captureLogs('warn');
  beforeAll(async () => {
    app = await startTestApp({ platform: 'fastify', ajax: { global: true }, controllers: [RegenerateController], sessionStore: store() as never });
  });
  afterAll(() => app.close());

  it('a log-out (a regenerate in a request that added no message) leaves the messages pending from earlier requests behind', async () => {
    const visitor = app.agent();
    await visitor.post('/r/flash?add=ada%3A%20card%20charged.');
    await visitor.post('/r/logout');
    expect((await visitor.get('/r/ping')).body).toEqual({ ok: true });
  });

  it('a regenerate in a request that added a message carries that message only, not those of earlier requests', async () => {
    const visitor = app.agent();
    await visitor.post('/r/flash?add=ada%3A%20card%20charged.');
    await visitor.post('/r/logout-saying');
    expect((await visitor.get('/r/ping')).body).toEqual({ ok: true, messages: [info('Signed out.')] });
  });

  it('two regenerates in one request, as @fastify/passport logIn() makes, carry its message', async () => {
    const visitor = app.agent();
    await visitor.post('/r/twice');
    expect((await visitor.get('/r/ping')).body).toEqual({ ok: true, messages: [info('Before.')] });
  });

  it('a second regenerate() on the same session object carries its message', async () => {
    const visitor = app.agent();
    await visitor.post('/r/stale');
    expect((await visitor.get('/r/ping')).body).toEqual({ ok: true, messages: [info('Before.')] });
  });

  it.each(['promise', 'callback'])('regenerate(keys) by %s keeps the keys and carries the message', async (style) => {
    const visitor = app.agent();
    await visitor.post(`/r/keys?style=${style}`);
    expect((await visitor.get('/r/ping')).body).toEqual({ ok: true, user: 'ada', messages: [info('Before.')] });
  });

  it("calls regenerate()'s callback once, in a request that added nothing and in one that did", async () => {
    const visitor = app.agent();
    await visitor.post('/r/flash?add=x');
    await visitor.get('/r/ping');
    expect((await visitor.post('/r/count')).body).toEqual({ calls: 1 });
    expect((await visitor.post('/r/count?add=y')).body).toEqual({ calls: 1, messages: [info('y')] });
  });
});
