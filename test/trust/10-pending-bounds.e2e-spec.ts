import request from 'supertest';
import { AjaxConfigurationError, AjaxModule, type AjaxModuleOptions, type AjaxRequest, RedisMessageStorage } from '../../lib/index.js';
import { captureLogs } from '../fixtures/capture-logs.js';
import { EchoMessagesController } from '../fixtures/echo-messages.controller.js';
import { FlashController } from '../fixtures/flash.controller.js';
import { cookieOf, type RedisInstance, startRedisInstance } from '../fixtures/redis-instance.js';
import { type RedisServer, redisTestsRun, startRedisServer } from '../fixtures/redis-server.js';
import { PLATFORMS, startTestApp, type TestApp } from '../fixtures/test-app.js';
import { info } from './trust-helpers.js';

/**
 * Decision 10: messages.maxPending (default 50) and messages.maxPendingBytes
 * (default 8192, UTF-8 bytes of message text + tags over all pending
 * messages). Past a bound the oldest are dropped; a warning containing
 * "dropped" is logged once per visitor, not per message. Holds for the session
 * storage and RedisMessageStorage. Bad values (0, -1, 1.5, 'x') throw
 * AjaxConfigurationError at forRoot.
 */

/** Bound options given as loose data, as an app's configuration would give them (and bad values too). */
function withMessages(messages: Record<string, unknown>): AjaxModuleOptions {
  return { global: true, messages } as unknown as AjaxModuleOptions;
}

/** A client for one visitor: the cookie of its first response, then sent on every request. */
function visitor(url: string): { post(path: string): Promise<request.Response>; get(path: string): Promise<request.Response> } {
  let cookie: string | undefined;
  const send = async (req: request.Test): Promise<request.Response> => {
    const res = await (cookie ? req.set('Cookie', cookie) : req);
    if (!cookie && res.headers['set-cookie']) cookie = cookieOf(res);
    return res;
  };
  return { post: (path) => send(request(url).post(path)), get: (path) => send(request(url).get(path)) };
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
/** 1,000 ASCII characters, numbered so that each message is known: "k03-xxxx…". */
const longText = (n: number): string => `k${String(n).padStart(2, '0')}-`.padEnd(1000, 'x');

/** Adds each text on its own redirect (as a form post does), then reads the next JSON response. */
async function addEachOnARedirect(url: string, texts: string[]): Promise<request.Response> {
  const one = visitor(url);
  for (const text of texts) {
    const res = await one.post(`/flash/redirect?add=${encodeURIComponent(text)}`);
    expect(res.status).toBe(302);
  }
  return one.get('/echo');
}

function scenarios(app: () => { url: string }, warnings: string[]): void {
  const dropped = (): string[] => warnings.filter((line) => line.includes('dropped'));

  it('60 messages, each on its own redirect: the next JSON response carries the newest 50 (m11..m60), and one warning', async () => {
    const res = await addEachOnARedirect(
      app().url,
      range(1, 60).map((n) => `m${n}`),
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ added: [], messages: range(11, 60).map((n) => info(`m${n}`)) });
    expect(dropped()).toHaveLength(1);
  });

  it('ten messages of 1,000 ASCII characters: the newest 8 (8 × 1,004 bytes ≤ 8,192), and one warning', async () => {
    const res = await addEachOnARedirect(app().url, range(1, 10).map(longText));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ added: [], messages: range(3, 10).map((n) => info(longText(n))) });
    expect(dropped()).toHaveLength(1);
  });

  it('one message over maxPendingBytes on its own is dropped itself, never the older ones for it', async () => {
    const res = await addEachOnARedirect(app().url, ['older', 'y'.repeat(9000)]);
    expect(res.body).toEqual({ added: [], messages: [info('older')] });
    expect(dropped()).toHaveLength(1);
  });

  it('50 messages exactly: all delivered, no warning (control)', async () => {
    const res = await addEachOnARedirect(
      app().url,
      range(1, 50).map((n) => `m${n}`),
    );
    expect(res.body).toEqual({ added: [], messages: range(1, 50).map((n) => info(`m${n}`)) });
    expect(dropped()).toEqual([]);
  });
}

describe.each(PLATFORMS)('on %s', (platform) => {
  describe('decision 10: bounds on pending messages, session storage (defaults)', () => {
    let t: TestApp;
    const warnings = captureLogs('warn');
    beforeAll(async () => {
      t = await startTestApp({ platform, ajax: { global: true }, controllers: [EchoMessagesController, FlashController] });
    });
    afterAll(() => t.close());
    scenarios(() => t, warnings);

    it('one warning per visitor: two visitors past the bound give two', async () => {
      for (const _ of [1, 2]) {
        const res = await addEachOnARedirect(
          t.url,
          range(1, 52).map((n) => `v${n}`),
        );
        expect(res.body.messages).toEqual(range(3, 52).map((n) => info(`v${n}`)));
      }
      expect(warnings.filter((line) => line.includes('dropped'))).toHaveLength(2);
    });
  });

  describe('decision 10: the bounds as options, session storage', () => {
    const warnings = captureLogs('warn');

    it('maxPending: 3 keeps the newest 3 of 5', async () => {
      const t = await startTestApp({ platform, ajax: withMessages({ maxPending: 3 }), controllers: [EchoMessagesController, FlashController] });
      try {
        const res = await addEachOnARedirect(t.url, ['a1', 'a2', 'a3', 'a4', 'a5']);
        expect(res.body).toEqual({ added: [], messages: [info('a3'), info('a4'), info('a5')] });
        expect(warnings.filter((line) => line.includes('dropped'))).toHaveLength(1);
      } finally {
        await t.close();
      }
    });

    it('maxPendingBytes counts UTF-8 bytes of text and tags: 30 bytes hold two of "ééééé" (10 + 4 bytes each), not three', async () => {
      const t = await startTestApp({ platform, ajax: withMessages({ maxPendingBytes: 30 }), controllers: [EchoMessagesController, FlashController] });
      try {
        const res = await addEachOnARedirect(t.url, ['ééééa', 'ééééb', 'ééééc']);
        expect(res.body).toEqual({ added: [], messages: [info('ééééb'), info('ééééc')] });
      } finally {
        await t.close();
      }
    });

    it('messages added on one request count as well: ten at once through maxPending: 4 leave the newest 4', async () => {
      const t = await startTestApp({ platform, ajax: withMessages({ maxPending: 4 }), controllers: [EchoMessagesController, FlashController] });
      try {
        const one = visitor(t.url);
        const texts = range(1, 10).map((n) => `b${n}`);
        expect((await one.post(`/flash/redirect?add=${texts.join(',')}`)).status).toBe(302);
        const res = await one.get('/echo');
        expect(res.body).toEqual({ added: [], messages: range(7, 10).map((n) => info(`b${n}`)) });
        expect(warnings.filter((line) => line.includes('dropped'))).toHaveLength(1);
      } finally {
        await t.close();
      }
    });
  });

  describe('decision 10: bad bound values', () => {
    it.each(['maxPending', 'maxPendingBytes'])('%s: 1 and 100,000 are accepted; 0, -1, 1.5 and "x" throw AjaxConfigurationError at forRoot', (option) => {
      for (const good of [1, 100_000]) {
        expect(() => AjaxModule.forRoot(withMessages({ [option]: good }))).not.toThrow();
      }
      for (const bad of [0, -1, 1.5, 'x']) {
        let thrown: unknown;
        try {
          AjaxModule.forRoot(withMessages({ [option]: bad }));
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(AjaxConfigurationError);
        expect((thrown as Error).message).toContain(`messages.${option}`);
        expect((thrown as Error).message).not.toContain('has no option');
      }
    });
  });

  (redisTestsRun() ? describe : describe.skip)('decision 10: bounds on pending messages, RedisMessageStorage (real redis-server, defaults)', () => {
    let redis: RedisServer;
    let instance: RedisInstance;
    const warnings = captureLogs('warn');
    beforeAll(async () => {
      redis = await startRedisServer();
      instance = await startRedisInstance(redis.url, { platform });
    });
    afterAll(async () => {
      await instance?.close();
      await redis?.dispose();
    });
    scenarios(() => instance, warnings);

    it('counts bytes as the module does, whatever the text: lone surrogates do not slip past maxPendingBytes', async () => {
      const storage = new RedisMessageStorage(instance.client, { timeoutMs: 1000 });
      const req = { method: 'GET', headers: {}, sessionID: `surrogates-${Date.now()}`, session: {} } as AjaxRequest;
      const text = (n: number) => `${String(n).padStart(2, '0')}${'x'.repeat(88)}\ud800`;
      for (let n = 1; n <= 10; n++) await storage.add(req, { level: 20, message: text(n), tags: 'info' }, { maxCount: 50, maxBytes: 100 });
      expect((await storage.take(req)).map((m) => m.message)).toEqual([text(10)]);
    });
  });
});
