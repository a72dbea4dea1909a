import { All, Controller, Get, Post, Query, Redirect, Req, Res } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { ServerResponse } from 'node:http';
import { Ajax, AjaxConfigurationError, CookieMessageStorage, type FlashRequest, Messages, type RequestMessages } from '../../lib/index.js';
import { HmacCookieSigner } from '../../lib/messages/cookie/cookie-signer.js';
import { captureLogs } from '../fixtures/capture-logs.js';
import {
  COOKIE_NAME,
  COOKIE_SECRET,
  cookieJson,
  messagesCookie,
  setCookies,
  signedCookieValue,
  startCookieApp,
} from '../fixtures/cookie-app.js';
import { EchoMessagesController } from '../fixtures/echo-messages.controller.js';
import { FlashController } from '../fixtures/flash.controller.js';
import { NEST_MAJOR } from '../fixtures/nest-version.js';
import { PLATFORMS, type TestApp } from '../fixtures/test-app.js';
import { until } from '../fixtures/until.js';

/** A secret the storage was given before the current one: still verifies, no longer signs. */
const OLD_SECRET = 'the-previous-secret-of-at-least-32-characters';
/** What the app's `cookies.secret` is, where Nest 12.1 gives it. */
const APP_SECRET = 'the-app-cookies-secret-of-at-least-32-characters';

/** Routes around the cookie: another cookie of the app's, many or large messages, the module's 401 and 405, a stream, req.flash. */
@Controller('cookie')
class CookieRoutesController {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  /** POST /cookie/theme?add=a → sets the app's own cookie, adds "a", answers 302. */
  @Post('theme')
  @Redirect('/echo', 302)
  theme(@Query('add') add: string, @Res({ passthrough: true }) res: object, @Messages() messages: RequestMessages): void {
    this.adapterHost.httpAdapter.appendHeader(res, 'Set-Cookie', 'theme=dark; Path=/');
    messages.info(add);
  }

  /** GET /cookie/theme → sets the app's own cookie on a JSON answer that delivers the messages. */
  @Get('theme')
  @Ajax()
  themeJson(@Res({ passthrough: true }) res: object): object {
    this.adapterHost.httpAdapter.appendHeader(res, 'Set-Cookie', 'theme=light; Path=/');
    return { theme: 'light' };
  }

  /** POST /cookie/many?count=40&size=100 → adds `count` messages of `size` characters, #0 first, answers 302. */
  @Post('many')
  @Redirect('/echo', 302)
  many(@Query('count') count: string, @Query('size') size: string, @Messages() messages: RequestMessages): void {
    for (let i = 0; i < Number(count); i++) messages.info(`#${i} `.padEnd(Number(size), 'x'));
  }

  /** Only for a signed-in visitor: 401 for everyone here. */
  @All('private')
  @Ajax({ loginRequired: true })
  private(): object {
    return { private: true };
  }

  /** Only POST: 405 for a GET. */
  @All('post-only')
  @Ajax({ requirePost: true })
  postOnly(): object {
    return { posted: true };
  }

  /** GET /cookie/stream → writes its headers and a first chunk, then adds a message. */
  @Get('stream')
  stream(@Res() res: { raw?: ServerResponse; hijack?: () => void } & ServerResponse, @Messages() messages: RequestMessages): void {
    res.hijack?.();
    const node = res.raw ?? res;
    node.writeHead(200, { 'Content-Type': 'text/plain' });
    node.write('first ');
    messages.info('too late');
    node.end('last');
  }

  /** GET /cookie/raw → adds a message, then answers through Node's response itself. */
  @Get('raw')
  raw(@Res() res: { raw?: ServerResponse; hijack?: () => void } & ServerResponse, @Messages() messages: RequestMessages): void {
    res.hijack?.();
    messages.info('before the raw answer');
    const node = res.raw ?? res;
    node.writeHead(200, { 'Content-Type': 'text/plain', 'Set-Cookie': 'raw=1; Path=/' });
    node.end('raw');
  }

  /** POST /cookie/flash → req.flash() an error and an info message, answers 302. */
  @Post('flash')
  @Redirect('/echo', 302)
  flash(@Req() req: FlashRequest): void {
    req.flash('error', 'Wrong password.');
    req.flash('info', 'Try again.');
  }

  /** GET /cookie/flash-errors → takes the error messages only, with req.flash('error'). */
  @Get('flash-errors')
  flashErrors(@Req() req: FlashRequest): object {
    return { errors: req.flash('error') };
  }
}

const CONTROLLERS = [FlashController, EchoMessagesController, CookieRoutesController];

/** The texts of a JSON body's messages. */
const texts = (body: { messages?: Array<{ message: string }> }): string[] => (body.messages ?? []).map((m) => m.message);

describe.each(PLATFORMS)('on %s', (platform) => {
  describe('CookieMessageStorage, with no session middleware', () => {
    let t: TestApp;
    const warnings = captureLogs('warn');
    beforeAll(async () => {
      t = await startCookieApp({
        platform,
        storage: new CookieMessageStorage({ secret: [COOKIE_SECRET, OLD_SECRET] }),
        ajax: { flash: true },
        controllers: CONTROLLERS,
      });
    });
    afterAll(() => t.close());

    /** Adds the messages on a redirect, as a form post does; the cookie it set. */
    async function redirectAdding(add: string, cookie?: string) {
      const res = await t.http().post(`/flash/redirect?add=${add}`).set('Cookie', cookie ?? '');
      expect(res.status).toBe(302);
      return messagesCookie(res);
    }

    it('carries a message across a redirect to the next JSON response, once; that response clears the cookie', async () => {
      const set = await redirectAdding('hello');
      expect(set?.expires).toBe(false);
      const next = await t.http().get('/echo').set('Cookie', set!.header);
      expect(next.body).toEqual({ added: [], messages: [{ message: 'hello', tags: 'info' }] });
      expect(messagesCookie(next)?.expires).toBe(true);
      // The browser dropped it: nothing is pending any more.
      const after = await t.http().get('/echo');
      expect(after.body).toEqual({ added: [] });
      expect(messagesCookie(after)).toBeUndefined();
    });

    it('keeps the order of messages added over several redirects, and of those added by the delivering request', async () => {
      const first = await redirectAdding('one,two');
      const second = await redirectAdding('three', first!.header);
      expect(cookieJson(second!.value)).toEqual([
        [20, 'one', 'info'],
        [20, 'two', 'info'],
        [20, 'three', 'info'],
      ]);
      const next = await t.http().get('/echo?add=four').set('Cookie', second!.header);
      expect(texts(next.body)).toEqual(['one', 'two', 'three', 'four']);
      expect(messagesCookie(next)?.expires).toBe(true);
    });

    it('sets no cookie on a response that changed nothing, and none for messages added and delivered by one request', async () => {
      const plain = await t.http().get('/echo?add=now');
      expect(texts(plain.body)).toEqual(['now']);
      expect(setCookies(plain)).toEqual([]);
      const set = await redirectAdding('kept');
      const untouched = await t.http().get('/echo/keep').set('Cookie', set!.header);
      expect(untouched.body).toEqual([]);
      expect(setCookies(untouched)).toEqual([]);
    });

    it('sets the cookie HttpOnly, SameSite=Lax, for every path, not Secure over plain HTTP', async () => {
      const set = await redirectAdding('attributes');
      expect(set!.attributes.sort()).toEqual(['HttpOnly', 'Path=/', 'SameSite=Lax']);
      const cleared = messagesCookie(await t.http().get('/echo').set('Cookie', set!.header));
      expect(cleared!.value).toBe('');
      expect(cleared!.attributes).toEqual(expect.arrayContaining(['Max-Age=0', 'HttpOnly', 'Path=/', 'SameSite=Lax']));
      expect(cleared!.attributes).not.toContain('Secure');
    });

    it('does not trust X-Forwarded-Proto from a proxy the app does not trust', async () => {
      const res = await t.http().post('/flash/redirect?add=x').set('X-Forwarded-Proto', 'https');
      expect(messagesCookie(res)!.attributes).not.toContain('Secure');
    });

    it('signs with the first secret and still reads a cookie signed with an older one', async () => {
      const set = await redirectAdding('signed');
      expect(set!.value).toBe(signedCookieValue(JSON.stringify([[20, 'signed', 'info']]), COOKIE_SECRET));
      const old = signedCookieValue(JSON.stringify([[25, 'from before the rotation', 'success']]), OLD_SECRET);
      const res = await t.http().get('/echo').set('Cookie', `${COOKIE_NAME}=${old}`);
      expect(res.body.messages).toEqual([{ message: 'from before the rotation', tags: 'success' }]);
      expect(warnings).toEqual([]);
    });

    it('makes no value a cookie signer with its own secret accepts: the secret may be the app\'s too', async () => {
      const set = await redirectAdding('mine');
      // What cookie-parser, @fastify/cookie or Nest's CookieSigner with the same secret would read as `uid=s:…`.
      const appSigner = new HmacCookieSigner([COOKIE_SECRET]);
      expect(appSigner.unsign(`s:${COOKIE_NAME}=${set!.value}`)).toBeUndefined();
      expect(appSigner.unsign(`s:${set!.value}`)).toBeUndefined();
      const payload = set!.value.slice(0, set!.value.lastIndexOf('.'));
      const appSigned = appSigner.sign(`${COOKIE_NAME}=${payload}`).slice(`s:${COOKIE_NAME}=`.length);
      expect(texts((await t.http().get('/echo').set('Cookie', `${COOKIE_NAME}=${appSigned}`)).body)).toEqual([]);
    });

    it('reads its own cookie among the app\'s others', async () => {
      const set = await redirectAdding('among others');
      const res = await t.http().get('/echo').set('Cookie', `theme=dark; ${set!.header}; lang=fr`);
      expect(texts(res.body)).toEqual(['among others']);
    });

    describe.each([
      ['an altered message', () => signedCookieValue(JSON.stringify([[20, 'hello', 'info']]), COOKIE_SECRET).replace(/^./, 'X'), 'signature'],
      ['a value signed with another secret', () => signedCookieValue(JSON.stringify([[40, 'forged', 'error']]), 'another-secret-of-at-least-32-characters'), 'signature'],
      ['a value signed for another cookie name', () => signedCookieValue(JSON.stringify([[40, 'forged', 'error']]), COOKIE_SECRET, 'session'), 'signature'],
      ['an unsigned value', () => Buffer.from(JSON.stringify([[40, 'forged', 'error']])).toString('base64url'), 'signature'],
      ['garbage', () => '%%%not-a-cookie"', 'signature'],
      ['a signed value that is not JSON', () => signedCookieValue('not json', COOKIE_SECRET), 'not JSON'],
      ['a signed list of the wrong shape', () => signedCookieValue(JSON.stringify([{ level: 20, message: 'x', tags: 'info' }]), COOKIE_SECRET), 'not a list of messages'],
      ['signed JSON that is not a list', () => signedCookieValue(JSON.stringify({ messages: [] }), COOKIE_SECRET), 'not a list of messages'],
    ])('a cookie holding %s', (_name, value, reason) => {
      it('is ignored, logged once, and cleared; the visitor gets the answer with the request\'s own messages', async () => {
        const res = await t.http().get('/echo?add=mine').set('Cookie', `${COOKIE_NAME}=${value()}`);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ added: ['mine'], messages: [{ message: 'mine', tags: 'info' }] });
        expect(messagesCookie(res)?.expires).toBe(true);
        const logged = warnings.filter((line) => line.includes(`"${COOKIE_NAME}"`) && line.includes('ignored and cleared'));
        expect(logged).toHaveLength(1);
        expect(logged[0]).toContain(reason);
      });
    });

    it('a bad cookie is replaced by the messages the request adds', async () => {
      const res = await t.http().post('/flash/redirect?add=fresh').set('Cookie', `${COOKIE_NAME}=garbage`);
      const set = messagesCookie(res);
      expect(set?.expires).toBe(false);
      expect(cookieJson(set!.value)).toEqual([[20, 'fresh', 'info']]);
    });

    it('keeps the cookie\'s value within maxBytes (2,048) by dropping the oldest messages, and logs how many', async () => {
      // 40 messages of 100 characters: within messages.maxPending and maxPendingBytes, far over the cookie's budget.
      const res = await t.http().post('/cookie/many?count=40&size=100');
      const set = messagesCookie(res)!;
      expect(set.value.length).toBeLessThanOrEqual(2048);
      expect(set.value.length).toBeGreaterThan(2048 - 160); // one message more would not have fit
      const kept = (cookieJson(set.value) as Array<[number, string, string]>).map(([, message]) => message.split(' ')[0]);
      const from = 40 - kept.length;
      expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => `#${from + i}`)); // the newest, in order
      expect(warnings.filter((line) => line.includes(`${from} pending message(s) were dropped, the oldest first`) && line.includes('2048 bytes'))).toHaveLength(1);
      const next = await t.http().get('/echo').set('Cookie', set.header);
      expect(texts(next.body).map((text) => text.split(' ')[0])).toEqual(kept);
    });

    it('drops a message too large for the cookie on its own, and keeps the older ones', async () => {
      const small = await redirectAdding('small');
      const res = await t.http().post('/cookie/many?count=1&size=3000').set('Cookie', small!.header);
      const set = messagesCookie(res)!;
      expect(cookieJson(set.value)).toEqual([[20, 'small', 'info']]);
      expect(warnings.some((line) => line.includes('1 pending message(s) were dropped') && line.includes('1 of them larger than that on their own'))).toBe(true);
      const alone = await t.http().post('/cookie/many?count=1&size=3000');
      expect(messagesCookie(alone)).toBeUndefined();
    });

    it('keeps the app\'s own Set-Cookie headers, on a redirect that adds and on a JSON answer that delivers', async () => {
      const redirect = await t.http().post('/cookie/theme?add=styled');
      expect(setCookies(redirect)).toEqual(expect.arrayContaining(['theme=dark; Path=/', expect.stringMatching(`^${COOKIE_NAME}=.`)]));
      const json = await t.http().get('/cookie/theme').set('Cookie', messagesCookie(redirect)!.header);
      expect(json.body).toEqual({ theme: 'light', messages: [{ message: 'styled', tags: 'info' }] });
      expect(setCookies(json)).toHaveLength(2);
      expect(setCookies(json)).toContain('theme=light; Path=/');
      expect(messagesCookie(json)?.expires).toBe(true);
    });

    it.each([
      ['401 of a route that requires a log-in', '/cookie/private', 401],
      ['405 of a route that requires POST', '/cookie/post-only', 405],
    ])('the module\'s %s delivers the pending messages and clears the cookie', async (_name, path, status) => {
      const set = await redirectAdding('before the error');
      const res = await t.http().get(path).set('Cookie', set!.header);
      expect(res.status).toBe(status);
      expect(res.body.messages).toEqual([{ message: 'before the error', tags: 'info' }]);
      expect(messagesCookie(res)?.expires).toBe(true);
    });

    it('req.flash(type) takes one type\'s messages and leaves the others in the cookie, in order', async () => {
      const flashed = messagesCookie(await t.http().post('/cookie/flash'))!;
      const errors = await t.http().get('/cookie/flash-errors').set('Cookie', flashed.header);
      expect(errors.body).toEqual({ errors: ['Wrong password.'] });
      const left = messagesCookie(errors)!;
      expect(cookieJson(left.value)).toEqual([[20, 'Try again.', 'info']]);
      const next = await t.http().get('/echo').set('Cookie', left.header);
      expect(texts(next.body)).toEqual(['Try again.']);
    });

    it('logs a message added after the headers went out as lost, and sets no cookie', async () => {
      const res = await t.http().get('/cookie/stream');
      expect(res.text).toBe('first last');
      expect(messagesCookie(res)).toBeUndefined();
      expect(warnings.some((line) => line.includes('after the response\'s headers went out') && line.includes('"too late"'))).toBe(true);
    });

    // Express's answers all go through Node's writeHead(); Fastify's raw ones pass none of its hooks.
    it(
      platform === 'express'
        ? 'carries a message added before an answer written to the Node response, beside that answer\'s own Set-Cookie'
        : 'logs as lost a message added for an answer written to the raw response, which passes no onSend hook',
      async () => {
        const res = await t.http().get('/cookie/raw');
        expect(res.text).toBe('raw');
        if (platform === 'express') {
          expect(setCookies(res)).toContain('raw=1; Path=/');
          expect(cookieJson(messagesCookie(res)!.value)).toEqual([[20, 'before the raw answer', 'info']]);
        } else {
          expect(messagesCookie(res)).toBeUndefined();
          const lost = (): Promise<string | undefined> => Promise.resolve(warnings.find((line) => line.includes('are lost: "before the raw answer"')));
          await expect(until(lost, 2)).resolves.toContain('went out without it');
        }
      },
    );
  });

  describe('behind a proxy the app trusts', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startCookieApp({ platform, trustProxy: true, controllers: CONTROLLERS });
    });
    afterAll(() => t.close());

    it('sets the cookie Secure for a request that came over HTTPS (X-Forwarded-Proto), and not for one over HTTP', async () => {
      const https = await t.http().post('/flash/redirect?add=x').set('X-Forwarded-Proto', 'https');
      expect(messagesCookie(https)!.attributes).toContain('Secure');
      const cleared = await t.http().get('/echo').set('X-Forwarded-Proto', 'https').set('Cookie', messagesCookie(https)!.header);
      expect(messagesCookie(cleared)!.attributes).toEqual(expect.arrayContaining(['Max-Age=0', 'Secure']));
      const http = await t.http().post('/flash/redirect?add=x').set('X-Forwarded-Proto', 'http');
      expect(messagesCookie(http)!.attributes).not.toContain('Secure');
    });
  });

  describe('start-up', () => {
    it.each([
      ['a secret shorter than 32 characters', () => new CookieMessageStorage({ secret: 'short' }), 'a string of 5 characters'],
      ['an empty secret', () => new CookieMessageStorage({ secret: '' }), 'an empty string'],
      ['an empty list of secrets', () => new CookieMessageStorage({ secret: [] }), 'an empty list'],
      ['a short secret in the list', () => new CookieMessageStorage({ secret: [COOKIE_SECRET, 'old'] }), 'a string of 3 characters'],
      ['a cookie name that is no token', () => new CookieMessageStorage({ secret: COOKIE_SECRET, cookieName: 'my messages;' }), 'cookieName'],
      ['a budget browsers would not keep', () => new CookieMessageStorage({ secret: COOKIE_SECRET, maxBytes: 5000 }), 'maxBytes'],
    ])('%s is an AjaxConfigurationError', (_name, construct, detail) => {
      expect(construct).toThrow(AjaxConfigurationError);
      expect(construct).toThrow(detail);
    });

    it('a short secret\'s error says how to make one, without showing it', () => {
      expect(() => new CookieMessageStorage({ secret: 'my-short-secret' })).toThrow(/32 characters or more.*randomBytes\(32\)/);
      expect(() => new CookieMessageStorage({ secret: 'my-short-secret' })).not.toThrow('my-short-secret');
    });

    it('without a secret, an app without cookies.secret fails to start, saying what to set', async () => {
      const starting = startCookieApp({ platform, storage: new CookieMessageStorage(), controllers: CONTROLLERS });
      await expect(starting).rejects.toThrow(AjaxConfigurationError);
      await expect(starting).rejects.toThrow(/pass one, new CookieMessageStorage\(\{ secret.*cookies\.secret/i);
    });
  });

  (NEST_MAJOR >= 12 ? describe : describe.skip)("without a secret, with the app's cookies.secret (Nest 12.1+)", () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startCookieApp({ platform, storage: new CookieMessageStorage(), cookies: { secret: [APP_SECRET, OLD_SECRET] }, controllers: CONTROLLERS });
    });
    afterAll(() => t.close());

    it('signs the cookie with a key derived from the app\'s first secret and delivers across a redirect', async () => {
      const res = await t.http().post('/flash/redirect?add=app');
      const set = messagesCookie(res)!;
      expect(set.value).toBe(signedCookieValue(JSON.stringify([[20, 'app', 'info']]), APP_SECRET));
      const next = await t.http().get('/echo').set('Cookie', set.header);
      expect(texts(next.body)).toEqual(['app']);
    });

    it('reads a cookie signed with the key of the app\'s older secret, and ignores one signed with another', async () => {
      const old = signedCookieValue(JSON.stringify([[20, 'old', 'info']]), OLD_SECRET);
      expect(texts((await t.http().get('/echo').set('Cookie', `${COOKIE_NAME}=${old}`)).body)).toEqual(['old']);
      const other = signedCookieValue(JSON.stringify([[20, 'other', 'info']]), COOKIE_SECRET);
      expect(texts((await t.http().get('/echo').set('Cookie', `${COOKIE_NAME}=${other}`)).body)).toEqual([]);
    });

    it('never hands out a value the app accepts for a signed cookie of its own, nor takes one the app signed', async () => {
      const set = messagesCookie(await t.http().post('/flash/redirect?add=mine'))!;
      const appSigner = (t.app.getHttpAdapter() as unknown as { cookieSigner: { sign(value: string): string; unsign(input: string): string | undefined } }).cookieSigner;
      // What a visitor would send as `uid=s:nestjs-ajax.messages=<payload>.<signature>` to an app reading @SignedCookies('uid').
      expect(appSigner.unsign(`s:${COOKIE_NAME}=${set.value}`)).toBeUndefined();
      expect(appSigner.unsign(`s:${set.value}`)).toBeUndefined();
      // The other way: the app's own signature of the same text, as it would sign a value a visitor chose.
      const payload = set.value.slice(0, set.value.lastIndexOf('.'));
      const appSigned = appSigner.sign(`${COOKIE_NAME}=${payload}`).slice(`s:${COOKIE_NAME}=`.length);
      expect(texts((await t.http().get('/echo').set('Cookie', `${COOKIE_NAME}=${appSigned}`)).body)).toEqual([]);
      expect(texts((await t.http().get('/echo').set('Cookie', set.header)).body)).toEqual(['mine']);
    });

    it('a secret of its own wins over the app\'s', async () => {
      const own = await startCookieApp({ platform, cookies: { secret: APP_SECRET }, controllers: CONTROLLERS });
      try {
        const set = messagesCookie(await own.http().post('/flash/redirect?add=own'))!;
        expect(set.value).toBe(signedCookieValue(JSON.stringify([[20, 'own', 'info']]), COOKIE_SECRET));
      } finally {
        await own.close();
      }
    });
  });
});
