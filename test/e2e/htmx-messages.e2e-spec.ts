import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response } from 'supertest';
import { AjaxConfigurationError, AjaxModule } from '../../lib/index.js';
import { FRAGMENT, HtmxAjaxController, HtmxInterceptedController, HtmxPlainController } from '../fixtures/htmx-fixtures.js';
import { SessionController } from '../fixtures/session.controller.js';
import { PLATFORMS, startTestApp, type TestApp } from '../fixtures/test-app.js';

/**
 * htmx asks for HTML fragments (`HX-Request: true`) and reads no JSON body:
 * on the routes that deliver messages, an answer whose body does not carry
 * them carries them in `HX-Trigger`, as `{"messages":[…]}` merged with the
 * app's own events, within 2,048 bytes, in ASCII. A JSON object still carries
 * them in its body; a redirect leaves them pending; `messages.htmx: false`
 * and a request without `HX-Request` change nothing.
 */

const HTMX = { 'HX-Request': 'true' };
const info = (message: string) => ({ message, tags: 'info' });

/** The messages an answer's HX-Trigger carries, or undefined without the header. */
function triggered(res: Response): unknown {
  const header = res.headers['hx-trigger'] as string | undefined;
  return header === undefined ? undefined : JSON.parse(header);
}

/** The messages pending for a visitor: what the next JSON answer (not an htmx one) carries. */
async function pending(visitor: ReturnType<TestApp['agent']>): Promise<unknown> {
  const res = await visitor.get('/htmx/json');
  expect(res.status).toBe(200);
  return res.body.messages ?? [];
}

describe.each(PLATFORMS)('on %s', (platform) => {
  describe('htmx requests on routes of @Ajax() and AjaxMessagesInterceptor', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ platform, ajax: {}, controllers: [HtmxAjaxController, HtmxInterceptedController, HtmxPlainController] });
    });
    afterAll(() => t.close());

    it('an HTML fragment carries the messages in HX-Trigger, privately, and only once', async () => {
      const visitor = t.agent();
      const res = await visitor.get('/htmx/fragment').query({ add: ['Saved.', 'Mailed.'] }).set(HTMX);
      expect(res.status).toBe(200);
      expect(res.text).toBe(FRAGMENT);
      expect(triggered(res)).toEqual({ messages: [info('Saved.'), info('Mailed.')] });
      expect(res.headers['cache-control']).toBe('private, no-store');
      expect(await pending(visitor)).toEqual([]);

      // Nothing pending: no header, and the app's caching is its own.
      const empty = await visitor.get('/htmx/fragment').set(HTMX);
      expect(empty.headers['hx-trigger']).toBeUndefined();
      expect(empty.headers['cache-control']).toBeUndefined();
    });

    it('so does a fragment of a route with AjaxMessagesInterceptor', async () => {
      const res = await t.agent().get('/intercepted/fragment').query({ add: 'Intercepted.' }).set(HTMX);
      expect(res.text).toBe(FRAGMENT);
      expect(triggered(res)).toEqual({ messages: [info('Intercepted.')] });
    });

    it("adds a messages event to the app's own JSON HX-Trigger, keeping its events", async () => {
      const res = await t.agent().get('/htmx/json-trigger').query({ add: 'Saved.' }).set(HTMX);
      expect(res.headers['hx-trigger']).toBe('{"messages":[{"message":"Saved.","tags":"info"}],"showToast":"Saved","pollChanged":{"id":1}}');
      // Without messages, the app's header is left exactly as it was.
      const without = await t.agent().get('/htmx/json-trigger').set(HTMX);
      expect(without.headers['hx-trigger']).toBe('{"showToast":"Saved","pollChanged":{"id":1}}');
    });

    it("makes the app's list of event names JSON, each event kept with an empty object as its detail", async () => {
      const res = await t.agent().get('/htmx/named-triggers').query({ add: 'Saved.' }).set(HTMX);
      expect(res.headers['hx-trigger']).toBe('{"messages":[{"message":"Saved.","tags":"info"}],"pollChanged":{},"countChanged":{}}');
      const without = await t.agent().get('/htmx/named-triggers').set(HTMX);
      expect(without.headers['hx-trigger']).toBe('pollChanged, countChanged');
    });

    it("leaves the messages pending when the app's HX-Trigger has a messages event of its own: the app's wins", async () => {
      const visitor = t.agent();
      const res = await visitor.get('/htmx/own-messages-trigger').query({ add: 'Waiting.' }).set(HTMX);
      expect(res.headers['hx-trigger']).toBe('{"messages":"the app\'s own"}');
      expect(res.headers['cache-control']).toBeUndefined();
      expect(await pending(visitor)).toEqual([info('Waiting.')]);
    });

    it('delivers the oldest messages that fit in 2,048 bytes; the rest come with the next answers, in order', async () => {
      const visitor = t.agent();
      const texts = Array.from({ length: 20 }, (_, i) => `Message ${String(i + 1).padStart(2, '0')}: ${'x'.repeat(140)}`);
      // Added on an answer that cannot carry them (no HX-Request: a plain page load of the fragment).
      await visitor.get('/htmx/fragment').query({ add: texts });

      const delivered: unknown[][] = [];
      for (let answer = 0; answer < 5; answer++) {
        const res = await visitor.get('/htmx/fragment').set(HTMX);
        const header = res.headers['hx-trigger'] as string | undefined;
        if (header === undefined) break;
        expect(Buffer.byteLength(header)).toBeLessThanOrEqual(2048);
        const { messages } = JSON.parse(header) as { messages: unknown[] };
        // Full: one more would not have fitted.
        if (delivered.length === 0) expect(Buffer.byteLength(header) + JSON.stringify(messages[0]).length + 1).toBeGreaterThan(2048);
        delivered.push(messages);
      }
      expect(delivered.length).toBe(2);
      expect(delivered[0].length).toBeGreaterThan(5);
      expect(delivered.flat()).toEqual(texts.map(info));
    });

    it('a message too long for the header on its own waits for a JSON answer, and holds back those after it', async () => {
      const visitor = t.agent();
      const long = 'L'.repeat(2100);
      await visitor.get('/htmx/fragment').query({ add: [long, 'After it.'] });
      const res = await visitor.get('/htmx/fragment').set(HTMX);
      expect(res.headers['hx-trigger']).toBeUndefined();
      expect(await pending(visitor)).toEqual([info(long), info('After it.')]);
    });

    it('sends every character beyond ASCII escaped, so that the header is ASCII and JSON reads the text back', async () => {
      const text = 'Café ☕ — 日本語 😀 “quoted” \u007f';
      const res = await t.agent().get('/htmx/fragment').query({ add: text }).set(HTMX);
      const raw = res.headers['hx-trigger'] as string;
      expect(raw).toMatch(/^[\x20-\x7e]+$/);
      expect(raw).toContain('Caf\\u00e9 \\u2615');
      expect(JSON.parse(raw)).toEqual({ messages: [info(text)] });
    });

    it('leaves the messages of a redirect pending, with no header on it, for the answer it leads to', async () => {
      const visitor = t.agent();
      const redirect = await visitor.post('/htmx/redirect').query({ add: 'Created.' }).set(HTMX).redirects(0);
      expect(redirect.status).toBe(303);
      expect(redirect.headers['hx-trigger']).toBeUndefined();
      const followed = await visitor.get(redirect.headers.location as string).set(HTMX);
      expect(followed.text).toBe(FRAGMENT);
      expect(triggered(followed)).toEqual({ messages: [info('Created.')] });
    });

    it('a 204 carries them: htmx reads its headers', async () => {
      const visitor = t.agent();
      const res = await visitor.post('/htmx/no-content').query({ add: 'Deleted.' }).set(HTMX);
      expect(res.status).toBe(204);
      expect(triggered(res)).toEqual({ messages: [info('Deleted.')] });
      expect(res.headers['cache-control']).toBe('private, no-store');
      expect(await pending(visitor)).toEqual([]);
    });

    it('a 4xx HTML answer carries them; so does the module\'s error answer, in the header, not in its body: htmx swaps no error body', async () => {
      const visitor = t.agent();
      const invalid = await visitor.post('/htmx/invalid').query({ add: 'Check the form.' }).set(HTMX);
      expect(invalid.status).toBe(422);
      expect(triggered(invalid)).toEqual({ messages: [info('Check the form.')] });

      const failed = await visitor.get('/htmx/fails').query({ add: 'Tried.' }).set(HTMX);
      expect(failed.status).toBe(400);
      expect(failed.body).toEqual({ status: 'error', error: 'Bad request', message: 'Nope.' });
      expect(triggered(failed)).toEqual({ messages: [info('Tried.')] });
      expect(failed.headers['cache-control']).toBe('private, no-store');
      expect(await pending(visitor)).toEqual([]);
    });

    it('a JSON object answer to an htmx request carries them in its body, not in the header', async () => {
      const visitor = t.agent();
      const res = await visitor.get('/htmx/json').query({ add: 'In the body.' }).set(HTMX);
      expect(res.body).toEqual({ ok: true, messages: [info('In the body.')] });
      expect(res.headers['hx-trigger']).toBeUndefined();
      expect(await pending(visitor)).toEqual([]);
    });

    it('JSON that is not an object (an array) carries them in the header', async () => {
      const res = await t.agent().get('/htmx/array').query({ add: 'Listed.' }).set(HTMX);
      expect(res.body).toEqual(['a', 'b']);
      expect(triggered(res)).toEqual({ messages: [info('Listed.')] });
    });

    it('a HEAD answer leaves them pending', async () => {
      const visitor = t.agent();
      await visitor.get('/htmx/fragment').query({ add: 'Still here.' });
      const head = await visitor.head('/htmx/fragment').set(HTMX);
      expect(head.status).toBe(200);
      expect(head.headers['hx-trigger']).toBeUndefined();
      expect(await pending(visitor)).toEqual([info('Still here.')]);
    });

    it('a request without HX-Request is answered as before: no header, the messages pending', async () => {
      const visitor = t.agent();
      const res = await visitor.get('/htmx/fragment').query({ add: 'For JSON.' });
      expect(res.text).toBe(FRAGMENT);
      expect(res.headers['hx-trigger']).toBeUndefined();
      expect(res.headers['cache-control']).toBeUndefined();
      const notHtmx = await visitor.get('/htmx/fragment').set({ 'HX-Request': 'false' });
      expect(notHtmx.headers['hx-trigger']).toBeUndefined();
      expect(await pending(visitor)).toEqual([info('For JSON.')]);
    });

    it('a route the module does not deliver on leaves them pending', async () => {
      const visitor = t.agent();
      const res = await visitor.get('/plain/fragment').query({ add: 'Not here.' }).set(HTMX);
      expect(res.text).toBe(FRAGMENT);
      expect(res.headers['hx-trigger']).toBeUndefined();
      expect(await pending(visitor)).toEqual([info('Not here.')]);
    });
  });

  it('with errorFormat problem+json, the 401 of a signed-in-only route and a thrown 400 carry them in the header, not in the problem body', async () => {
    const t = await startTestApp({ platform, ajax: { errorFormat: 'problem+json' }, controllers: [HtmxAjaxController, SessionController] });
    try {
      const visitor = t.agent();
      await visitor.get('/htmx/fragment').query({ add: 'First.' });
      const refused = await visitor.post('/session/me').set({ ...HTMX, 'Sec-Fetch-Site': 'same-origin' });
      expect([refused.status, refused.headers['content-type'], refused.body.messages]).toEqual([401, 'application/problem+json; charset=utf-8', undefined]);
      expect(triggered(refused)).toEqual({ messages: [info('First.')] });
      const failed = await visitor.get('/htmx/fails').query({ add: 'Tried.' }).set(HTMX);
      expect([failed.status, failed.body.messages, triggered(failed)]).toEqual([400, undefined, { messages: [info('Tried.')] }]);
    } finally {
      await t.close();
    }
  });

  describe('htmx requests with applyToEveryRoute: true', () => {
    let t: TestApp;
    let views: string;
    beforeAll(async () => {
      views = mkdtempSync(join(tmpdir(), 'nestjs-ajax-views-'));
      writeFileSync(join(views, 'fragment.html'), '<p class="fragment">{{text}}</p>');
      t = await startTestApp({
        platform,
        ajax: { applyToEveryRoute: true },
        controllers: [HtmxAjaxController, HtmxPlainController],
        configure(app) {
          if (platform !== 'express') return;
          // The smallest view engine: replaces {{name}} with the template's variable.
          const express = app as NestExpressApplication;
          express.engine('html', (path: string, locals: object, done: (error: unknown, html?: string) => void) => {
            import('node:fs').then(({ readFileSync }) => {
              const template = readFileSync(path, 'utf8');
              done(null, template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String((locals as Record<string, unknown>)[name])));
            }, done);
          });
          express.setBaseViewsDir(views);
          express.setViewEngine('html');
        },
      });
    });
    afterAll(async () => {
      await t.close();
      rmSync(views, { recursive: true, force: true });
    });

    it('a fragment of a route with no decorator of the module carries them in HX-Trigger', async () => {
      const visitor = t.agent();
      const res = await visitor.get('/plain/fragment').query({ add: 'Everywhere.' }).set(HTMX);
      expect(res.text).toBe(FRAGMENT);
      expect(triggered(res)).toEqual({ messages: [info('Everywhere.')] });
      expect(res.headers['cache-control']).toBe('private, no-store');
      expect(await pending(visitor)).toEqual([]);
    });

    // Fastify renders through @fastify/view, which this project does not install.
    (platform === 'express' ? it : it.skip)('so does a template of a @Render() route', async () => {
      const res = await t.agent().get('/plain/rendered').query({ add: 'Rendered.' }).set(HTMX);
      expect(res.text).toBe('<p class="fragment">Rendered</p>');
      expect(triggered(res)).toEqual({ messages: [info('Rendered.')] });
    });

    it('without HX-Request, the fragment is answered as before and the messages wait', async () => {
      const visitor = t.agent();
      const res = await visitor.get('/plain/fragment').query({ add: 'Waiting.' });
      expect(res.headers['hx-trigger']).toBeUndefined();
      expect(await pending(visitor)).toEqual([info('Waiting.')]);
    });
  });

  describe("htmx requests with messages: { htmx: false }", () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ platform, ajax: { applyToEveryRoute: true, messages: { htmx: false } }, controllers: [HtmxAjaxController, HtmxPlainController] });
    });
    afterAll(() => t.close());

    it('answer as any other request: no header, the messages pending for a JSON answer', async () => {
      const visitor = t.agent();
      const ajax = await visitor.get('/htmx/fragment').query({ add: 'One.' }).set(HTMX);
      const plain = await visitor.get('/plain/fragment').query({ add: 'Two.' }).set(HTMX);
      for (const res of [ajax, plain]) {
        expect(res.text).toBe(FRAGMENT);
        expect(res.headers['hx-trigger']).toBeUndefined();
        expect(res.headers['cache-control']).toBeUndefined();
      }
      expect(await pending(visitor)).toEqual([info('One.'), info('Two.')]);
    });
  });
});

describe('the messages.htmx option', () => {
  it.each([['yes'], [1]])('refuses %j at start-up, saying what it takes', (value) => {
    const forRoot = () => AjaxModule.forRoot({ messages: { htmx: value as never } });
    expect(forRoot).toThrow(AjaxConfigurationError);
    expect(forRoot).toThrow(`AjaxModule option "messages.htmx" must be true (messages in HX-Trigger for htmx requests) or false; got ${JSON.stringify(value)}.`);
  });
});
