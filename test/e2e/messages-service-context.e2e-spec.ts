import type { INestApplication, Type } from '@nestjs/common';
import { Scope } from '@nestjs/common';
import { APP_FILTER, ModuleRef } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import http from 'node:http';
import { AjaxModule, MessagesOutsideRequestError, MessagesService, type AjaxMessage } from '../../lib/index.js';
import {
  AuditService,
  ContextController,
  ContextFreeQueue,
  EagerGreeter,
  EnhancedController,
  forgetBuilt,
  HOPS,
  hopText,
  MIDDLEWARE_OUTCOME_HEADER,
  MiddlewareModule,
  NoteGuard,
  NoteInterceptor,
  NoteMiddleware,
  OrdersService,
  type Outcome,
  outcomeOf,
  ReportsModule,
  ReportsService,
  SERVICE_CALLS,
  SorryController,
  SorryFilter,
  StartupController,
  StartupProbe,
  StockFilter,
  timesBuilt,
} from '../fixtures/messages-context-fixtures.js';
import { PLATFORMS, startTestApp, type TestApp } from '../fixtures/test-app.js';

type JsonMessage = Pick<AjaxMessage, 'message' | 'tags'>;

const info = (message: string): JsonMessage => ({ message, tags: 'info' });
const tagged = (tags: string) => (message: string): JsonMessage => ({ message, tags });

/** How many requests run at once in the concurrency tests. */
const CONCURRENT = 50;

/** `count` ids with a prefix, so that a message leaking from another test would show too. */
const ids = (prefix: string, count = CONCURRENT) => Array.from({ length: count }, (_, i) => `${prefix}${i}`);

/** A varying number of chunks (0 to 3) for request `i`, so that requests differ in length. */
const chunksFor = (i: number) => Array.from({ length: i % 4 }, (_, k) => `c${k}`);

/** The messages `/ctx/hops` adds for `id`, in order, after those the session carried. */
function hopMessages(id: string, chunks: string[], carried: string[] = []): JsonMessage[] {
  return [
    ...carried.map(info),
    ...HOPS.map((hop) => info(hopText(id, hop))),
    ...chunks.map((chunk) => info(hopText(id, `chunk-${chunk}`))),
    { message: hopText(id, 'audit'), tags: 'success' },
  ];
}

/** The session cookies a response set, as a `Cookie` header sends them back. */
function cookieOf(res: { headers: Record<string, unknown> }): string {
  const set = res.headers['set-cookie'] as string[] | string | undefined;
  expect(set).toBeDefined();
  return ([] as string[])
    .concat(set ?? [])
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
}

/**
 * POSTs `body` as JSON in three pieces with random pauses between them, as a
 * large or slow upload arrives: the body's end then comes from the socket, in
 * no request's async context, and the parser must carry the request's over.
 * Plain `http`, since supertest writes a body at once.
 */
function postJsonInPieces(url: string, path: string, body: unknown, cookie?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const text = JSON.stringify(body);
  const cuts = [0, Math.floor(text.length / 3), Math.floor((2 * text.length) / 3), text.length];
  return new Promise((resolve, reject) => {
    const req = http.request(
      new URL(path, url),
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...(cookie && { cookie }) },
        timeout: 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(raw) });
          } catch {
            reject(new Error(`not JSON (${res.statusCode}): ${raw.slice(0, 200)}`));
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer within 10 s')));
    req.on('error', reject);
    req.flushHeaders();
    void (async () => {
      for (let piece = 0; piece < 3; piece++) {
        await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 15));
        req.write(text.slice(cuts[piece], cuts[piece + 1]));
      }
      req.end();
    })();
  });
}

/** The call threw (or its promise rejected with) a MessagesOutsideRequestError that says what happened and what to do. */
/** The request hook slot of Nest's HTTP adapters, which apps may set too. */
interface HookSetter {
  setOnRequestHook(hook: (req: unknown, res: unknown, done: () => void) => void): void;
}

function expectOutsideRequest(outcome: Outcome | undefined): void {
  expect(outcome).toEqual({ threw: expect.any(MessagesOutsideRequestError) });
  const error = (outcome as { threw: Error }).threw;
  expect(error).toBeInstanceOf(Error);
  expect(error.name).toBe('MessagesOutsideRequestError');
  // It names the service and says it was used outside an HTTP request…
  expect(error.message).toMatch(/MessagesService .*outside an HTTP request/);
  // …and what to do instead.
  expect(error.message).toMatch(/Add messages from code that runs for an HTTP request/);
}

describe.each(PLATFORMS)('on %s', (platform) => {
  describe('MessagesService is a singleton that reaches the request it is called in', () => {
    let t: TestApp;
    beforeAll(async () => {
      forgetBuilt();
      t = await startTestApp({ platform, ajax: { global: true }, controllers: [ContextController], providers: [OrdersService, AuditService] });
    });
    afterAll(() => t.close());

    it('its consumers are singletons: app.get() finds them (Nest refuses that for request-scoped ones) and Nest reports them default-scoped', () => {
      const service = t.app.get(MessagesService);
      expect(t.app.get(ContextController).messages).toBe(service);
      expect(t.app.get(AuditService).messages).toBe(service);
      expect(t.app.get(OrdersService).audit).toBe(t.app.get(AuditService));
      // Nest reports a provider whose dependencies are request-scoped as REQUEST, even when it declares nothing.
      const moduleRef = t.app.get(ModuleRef);
      for (const type of [MessagesService, ContextController, OrdersService, AuditService] as Array<Type<unknown>>) {
        expect([type.name, moduleRef.introspect(type).scope]).toEqual([type.name, Scope.DEFAULT]);
      }
    });

    it(`${CONCURRENT} concurrent requests without cookies each get exactly their own messages, added across awaits, timers, setImmediate, nextTick, microtasks, a promise chain, an EventEmitter and a stream`, async () => {
      const all = ids('get-');
      const responses = await Promise.all(
        all.map((id, i) => t.http().get(`/ctx/hops/${id}`).query(chunksFor(i).length ? { chunks: chunksFor(i).join(',') } : {})),
      );
      responses.forEach((res, i) => {
        const expected = hopMessages(all[i], chunksFor(i));
        expect(res.status).toBe(200);
        // MessagesService's peek() at the end saw these, and the answer carries the same.
        expect(res.body).toEqual({ id: all[i], peeked: expected.map((m) => m.message), messages: expected });
      });
    });

    it(`${CONCURRENT} visitors at once, each with a message pending in its session, each get theirs then their own; nothing is left for the next answer`, async () => {
      const all = ids('sess-');
      const visitors = all.map(() => t.agent());
      // Each visitor leaves a message pending, on an answer that cannot carry it…
      const kept = await Promise.all(visitors.map((agent, i) => agent.get(`/ctx/keep/${all[i]}`)));
      kept.forEach((res, i) => expect(res.body).toEqual([all[i]]));
      // …then all ask at once.
      const responses = await Promise.all(
        visitors.map((agent, i) => agent.get(`/ctx/hops/${all[i]}`).query(chunksFor(i).length ? { chunks: chunksFor(i).join(',') } : {})),
      );
      responses.forEach((res, i) => {
        const expected = hopMessages(all[i], chunksFor(i), [hopText(all[i], 'carried')]);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ id: all[i], peeked: expected.map((m) => m.message), messages: expected });
      });
      // A message that had gone to another visitor's session would show here.
      const after = await Promise.all(visitors.map((agent) => agent.get('/ctx/ping')));
      after.forEach((res) => expect(res.body).toEqual({ ok: true }));
    });

    it(`${CONCURRENT} concurrent JSON POSTs, their bodies arriving in pieces, each get their own messages, with or without a session`, async () => {
      const all = ids('post-');
      // Half of them from visitors with a pending message (their cookie), half without any cookie.
      const cookies = await Promise.all(
        all.map(async (id, i) => (i % 2 ? cookieOf(await t.http().get(`/ctx/keep/${id}`)) : undefined)),
      );
      const responses = await Promise.all(all.map((id, i) => postJsonInPieces(t.url, '/ctx/hops', { id, chunks: chunksFor(i) }, cookies[i])));
      responses.forEach((res, i) => {
        const expected = hopMessages(all[i], chunksFor(i), cookies[i] ? [hopText(all[i], 'carried')] : []);
        expect({ id: all[i], status: res.status }).toEqual({ id: all[i], status: 201 });
        expect(res.body).toEqual({ id: all[i], peeked: expected.map((m) => m.message), messages: expected });
      });
      const after = await Promise.all(
        cookies.map((cookie) => (cookie ? t.http().get('/ctx/ping').set('Cookie', cookie) : undefined)),
      );
      after.forEach((res) => res && expect(res.body).toEqual({ ok: true }));
    });

    it(`@Messages() and MessagesService agree in one request (messages, peek, level), while ${CONCURRENT} requests set different levels at once`, async () => {
      const all = ids('agree-');
      const levels = all.map((_, i) => [10, 20, 30, 40][i % 4]);
      const responses = await Promise.all(all.map((id, i) => t.http().get(`/ctx/agree/${id}?level=${levels[i]}`)));
      responses.forEach((res, i) => {
        const [id, level] = [all[i], levels[i]];
        const kept = (min: number, message: JsonMessage) => (level <= min ? [message] : []);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({
          seenByService: [hopText(id, 'by-service'), hopText(id, 'by-param')],
          seenByParam: [hopText(id, 'by-service'), hopText(id, 'by-param')],
          // Set through @Messages(), read through the service: this request's level, not another's.
          levelSeenByService: level,
          // Reset through the service, read through @Messages(): back to messages.level.
          levelSeenByParamAfterReset: 20,
          messages: [
            tagged('success')(hopText(id, 'by-service')),
            tagged('warning')(hopText(id, 'by-param')),
            ...kept(10, tagged('debug')(hopText(id, 'debug'))),
            ...kept(20, info(hopText(id, 'info'))),
            ...kept(30, tagged('warning')(hopText(id, 'warning'))),
          ],
        });
      });
    });

    it('consume() through either one takes what both added; the other then sees nothing pending, and shares the level', async () => {
      const all = ids('consume-', 20);
      const by = (i: number) => (i % 2 ? 'service' : 'param');
      const responses = await Promise.all(all.map((id, i) => t.agent().get(`/ctx/agree-consume/${id}?by=${by(i)}`)));
      responses.forEach((res, i) => {
        const id = all[i];
        expect(res.body).toEqual({
          consumed: [hopText(id, 'param-before'), hopText(id, 'service-before')],
          leftForOther: 0,
          messages: [tagged('debug')(hopText(id, 'after'))],
        });
      });
    });

    it('a singleton deep in the app (controller → service → service holding MessagesService) adds a message that reaches the answer', async () => {
      const all = ids('order-');
      const responses = await Promise.all(all.map((id) => t.agent().get(`/ctx/orders/${id}`)));
      responses.forEach((res, i) => {
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ placed: all[i], messages: [tagged('success')(hopText(all[i], 'audit'))] });
      });
    });

    // Last: by now hundreds of requests went through.
    it('after all those requests, the controller and each service were built once', () => {
      expect([ContextController, OrdersService, AuditService].map((type) => [type.name, timesBuilt(type)])).toEqual([
        ['ContextController', 1],
        ['OrdersService', 1],
        ['AuditService', 1],
      ]);
    });
  });

  describe('an app hook that loses the context before the body is parsed', () => {
    let t: TestApp;
    let queue: ContextFreeQueue;
    /** What MessagesService gave in the app's hook, once the hook had lost the context. */
    const inHook: Outcome[] = [];
    beforeAll(async () => {
      queue = new ContextFreeQueue();
      t = await startTestApp({
        platform,
        ajax: { global: true },
        controllers: [ContextController],
        providers: [OrdersService, AuditService],
        // Before the body is read: Fastify's preParsing hook; on Express, a middleware of the app (they run before the module's).
        configure(app) {
          const service = app.get(MessagesService);
          const detour = (go: () => void) =>
            queue.defer(() => {
              void outcomeOf(() => service.getLevel()).then((outcome) => inHook.push(outcome));
              go();
            });
          if (platform === 'fastify') {
            const fastify = app.getHttpAdapter().getInstance() as { addHook(name: string, hook: (...args: never[]) => void): void };
            fastify.addHook('preParsing', ((req: { method: string }, _reply: unknown, payload: unknown, done: (error: null, payload: unknown) => void) => {
              if (req.method === 'POST') detour(() => done(null, payload));
              else done(null, payload);
            }) as (...args: never[]) => void);
          } else {
            app.use((req: { method: string }, _res: unknown, next: () => void) => (req.method === 'POST' ? detour(next) : next()));
          }
        },
      });
    });
    afterAll(async () => {
      queue.stop();
      await t.close();
    });

    it(`the module enters the request before guards and handlers: ${CONCURRENT} concurrent POSTs each get their own messages`, async () => {
      const all = ids('lost-');
      const responses = await Promise.all(all.map((id, i) => postJsonInPieces(t.url, '/ctx/hops', { id, chunks: chunksFor(i) })));
      responses.forEach((res, i) => {
        const expected = hopMessages(all[i], chunksFor(i));
        expect({ id: all[i], status: res.status }).toEqual({ id: all[i], status: 201 });
        expect(res.body).toEqual({ id: all[i], peeked: expected.map((m) => m.message), messages: expected });
      });
      // The hook really had no request: MessagesService refused there, once per request.
      expect(inHook).toHaveLength(CONCURRENT);
      for (const outcome of inHook) expectOutsideRequest(outcome);
    });
  });

  describe("the app's guards, interceptors and exception filters that inject MessagesService", () => {
    let t: TestApp;
    beforeAll(async () => {
      forgetBuilt();
      t = await startTestApp({
        platform,
        ajax: { global: true },
        controllers: [EnhancedController, ContextController],
        providers: [OrdersService, AuditService],
      });
    });
    afterAll(() => t.close());

    /** What the guard, the interceptor before the handler, and the handler add for `id`. */
    const upToHandler = (id: string) => [info(hopText(id, 'guard')), info(hopText(id, 'interceptor-before')), info(hopText(id, 'handler'))];

    it(`their messages reach the answer, in the order they were added, for ${CONCURRENT} concurrent requests`, async () => {
      const all = ids('enh-');
      const responses = await Promise.all(all.map((id) => t.http().get(`/ctx-enh/${id}`)));
      responses.forEach((res, i) => {
        expect(res.status).toBe(200);
        // The interceptor's message after the handler, added on the handler's value, still rides on the answer.
        expect(res.body).toEqual({ article: all[i], messages: [...upToHandler(all[i]), info(hopText(all[i], 'interceptor-after'))] });
      });
    });

    it("a guard that refuses: its message rides on the module's 403", async () => {
      const res = await t.http().get('/ctx-enh/refused?refuse');
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ status: 'error', error: 'Forbidden', messages: [info(hopText('refused', 'guard'))] });
    });

    it("an app filter that adds a message and lets the module's filter answer: the message rides on that answer", async () => {
      const all = ids('stock-', 20);
      const responses = await Promise.all(all.map((id) => t.http().get(`/ctx-enh/${id}?fail=stock`)));
      responses.forEach((res, i) => {
        expect(res.status).toBe(409);
        expect(res.body).toEqual({
          status: 'error',
          error: 'Conflict',
          message: 'Out of stock',
          messages: [...upToHandler(all[i]), tagged('warning')(hopText(all[i], 'filter'))],
        });
      });
    });

    it('an app filter that adds a message and writes its own answer: as with @Res(), that answer is left as it is and the next JSON one carries the messages', async () => {
      const visitor = t.agent();
      // A first request gives the visitor a session, so what stays pending is kept for the next answer.
      await visitor.get('/ctx/keep/sold');
      expect((await visitor.get('/ctx/ping')).body).toEqual({ ok: true, messages: [info(hopText('sold', 'carried'))] });

      const own = await visitor.get('/ctx-enh/sold?fail=sold-out');
      expect(own.status).toBe(410);
      expect(own.body).toEqual({ soldOut: 'sold' });
      const next = await visitor.get('/ctx/ping');
      expect(next.body).toEqual({ ok: true, messages: [...upToHandler('sold'), tagged('warning')(hopText('sold', 'filter'))] });
      expect((await visitor.get('/ctx/ping')).body).toEqual({ ok: true });
    });

    it('the guard, the interceptor, the filter and the controller were each built once', () => {
      expect([NoteGuard, NoteInterceptor, StockFilter, EnhancedController].map((type) => [type.name, timesBuilt(type)])).toEqual([
        ['NoteGuard', 1],
        ['NoteInterceptor', 1],
        ['StockFilter', 1],
        ['EnhancedController', 1],
      ]);
    });
  });

  describe("an app's own catch-all filter (APP_FILTER, the module not global) that adds a message for every failure", () => {
    let t: TestApp;
    beforeAll(async () => {
      forgetBuilt();
      t = await startTestApp({ platform, ajax: {}, controllers: [SorryController], providers: [{ provide: APP_FILTER, useClass: SorryFilter }] });
    });
    afterAll(() => t.close());

    const sorry = tagged('error')('Sorry.');

    it("a handler's exception: the message rides on the module's answer", async () => {
      const visitor = t.agent();
      const res = await visitor.get('/ctx-app-filter/conflict');
      expect(res.status).toBe(409);
      expect(res.body).toEqual({ status: 'error', error: 'Conflict', message: 'Already voted', messages: [sorry] });
      expect((await visitor.get('/ctx-app-filter/ping')).body).toEqual({ ok: true });
    });

    it('a path no route has: the 404 leaves the message pending for the next JSON answer', async () => {
      const visitor = t.agent();
      await visitor.get('/ctx-app-filter/ping');
      const res = await visitor.get('/ctx-app-filter/nowhere');
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ status: 'error', error: 'Not found', message: 'Cannot GET /ctx-app-filter/nowhere' });
      expect((await visitor.get('/ctx-app-filter/ping')).body).toEqual({ ok: true, messages: [sorry] });
    });

    // The body is parsed before guards and handlers run: the request must already be known to MessagesService there.
    it('a JSON body that cannot be parsed: the message rides on the 400', async () => {
      const visitor = t.agent();
      const res = await visitor.post('/ctx-app-filter/body').set('Content-Type', 'application/json').send('{"vote": ');
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ status: 'error', error: 'Bad request', messages: [sorry] });
      expect((await visitor.get('/ctx-app-filter/ping')).body).toEqual({ ok: true });
    });

    it('the filter was built once', () => {
      expect(timesBuilt(SorryFilter)).toBe(1);
    });
  });

  describe('outside a request', () => {
    let t: TestApp;
    beforeAll(async () => {
      forgetBuilt();
      StartupProbe.reset();
      t = await startTestApp({
        platform,
        ajax: { global: true },
        imports: [ReportsModule],
        controllers: [StartupController],
        providers: [StartupProbe],
      });
    });
    afterAll(() => t.close());

    it('in a constructor, onModuleInit and onApplicationBootstrap, every method throws MessagesOutsideRequestError, which says why', () => {
      const { record } = StartupProbe;
      expectOutsideRequest(record.inConstructor);
      expect(Object.keys(record.inModuleInit)).toEqual(Object.keys(SERVICE_CALLS));
      for (const outcome of Object.values(record.inModuleInit)) expectOutsideRequest(outcome);
      expectOutsideRequest(record.inBootstrap);
    });

    it('in a timer started at start-up, it throws even while a request is being handled, and that request keeps only its own messages', async () => {
      const res = await t.http().get('/ctx-startup/hold');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ timerCalled: true, messages: [info('Held.'), info('Released.')] });
      expectOutsideRequest(StartupProbe.record.inTimer);
      // It fired after the app had started, from the interval onModuleInit set.
      expect(StartupProbe.record.timerTicks).toBeGreaterThan(0);
    });

    it('an app whose module merely injects it starts, and that provider is a singleton', async () => {
      expect(t.app.get(ReportsService).messages).toBe(t.app.get(MessagesService));
      expect(t.app.get(ModuleRef).introspect(ReportsService).scope).toBe(Scope.DEFAULT);
      expect(timesBuilt(ReportsService)).toBe(1);
      expect(timesBuilt(StartupProbe)).toBe(1);
    });

    it('a call in onModuleInit that nothing catches fails the start with MessagesOutsideRequestError', async () => {
      const moduleRef = await Test.createTestingModule({ imports: [AjaxModule.forRoot({ global: true })], providers: [EagerGreeter] }).compile();
      const app: INestApplication =
        platform === 'fastify' ? moduleRef.createNestApplication(new FastifyAdapter(), { logger: false }) : moduleRef.createNestApplication({ logger: false });
      try {
        const failure = await app.init().then(
          () => undefined,
          (error: unknown) => error,
        );
        expectOutsideRequest(failure === undefined ? { returned: undefined } : { threw: failure });
      } finally {
        await app.close();
      }
    });
  });

  describe('in a Nest middleware (consumer.apply)', () => {
    let t: TestApp;
    beforeAll(async () => {
      forgetBuilt();
      t = await startTestApp({ platform, ajax: { global: true }, imports: [MiddlewareModule] });
    });
    afterAll(() => t.close());

    it('builds the middleware once', async () => {
      await t.http().get('/ctx-mw');
      await t.http().get('/ctx-mw');
      expect(timesBuilt(NoteMiddleware)).toBe(1);
    });

    it('reaches the request: the message rides on the answer, before the handler\'s', async () => {
      const res = await t.agent().get('/ctx-mw');
      expect(res.status).toBe(200);
      expect(res.headers[MIDDLEWARE_OUTCOME_HEADER]).toBe('added');
      expect(res.body).toEqual({ handled: true, messages: [info('Added by a middleware.'), info('Added by the handler.')] });
    });

    it('still does when the app sets its own request hook on the adapter, after start-up or before', async () => {
      const calls: string[] = [];
      const setHook = (app: INestApplication, name: string): void =>
        (app.getHttpAdapter() as unknown as HookSetter).setOnRequestHook((_req, _res, done) => {
          calls.push(name);
          done();
        });
      setHook(t.app, 'after start-up');
      const after = await t.agent().get('/ctx-mw');
      const before = await startTestApp({ platform, ajax: { global: true }, imports: [MiddlewareModule], configure: (app) => setHook(app, 'before start-up') });
      try {
        const res = await before.agent().get('/ctx-mw');
        expect(calls).toEqual(['after start-up', 'before start-up']);
        for (const answer of [after, res]) {
          expect(answer.body).toEqual({ handled: true, messages: [info('Added by a middleware.'), info('Added by the handler.')] });
        }
      } finally {
        await before.close();
      }
    });
  });
});
