import { All, Controller, Get, Header, NotFoundException, Post, UseGuards } from '@nestjs/common';
import { Ajax, AjaxAuthGuard, AjaxConfigurationError, AjaxCsrfGuard, type AjaxModuleOptions, AllowAnonymous } from '../../lib/index.js';
import { SessionController } from '../fixtures/session.controller.js';
import { type Platform, PLATFORMS, startTestApp, type TestApp } from '../fixtures/test-app.js';

@Controller('transfer')
class TransferController {
  @All()
  @Ajax()
  transfer(): object {
    return { done: true };
  }

  @Post('guarded')
  @UseGuards(AjaxCsrfGuard)
  guarded(): object {
    return { done: true };
  }

  @Post('signed-in')
  @UseGuards(AjaxAuthGuard)
  signedIn(): object {
    return { done: true };
  }

  @Post('open')
  @UseGuards(AjaxAuthGuard)
  @AllowAnonymous()
  open(): object {
    return { done: true };
  }

  @Get('read')
  @Ajax()
  read(): object {
    return { read: true };
  }

  @Get('fragment')
  @Ajax()
  @Header('Content-Type', 'text/html; charset=utf-8')
  fragment(): string {
    return '<p>A fragment</p>';
  }

  @Get('missing')
  @Ajax()
  missing(): never {
    throw new NotFoundException('No such poll.');
  }
}

async function withApp(platform: Platform, options: AjaxModuleOptions, run: (t: TestApp) => Promise<void>): Promise<void> {
  const t = await startTestApp({ platform, ajax: { global: true, ...options }, controllers: [TransferController] });
  try {
    await run(t);
  } finally {
    await t.close();
  }
}

const FORBIDDEN = { status: 'error', error: 'Forbidden' };

describe.each(PLATFORMS)('on %s', (platform) => {
  describe('cross-site requests (default settings)', () => {
    let t: TestApp;
    let host: string;
    beforeAll(async () => {
      t = await startTestApp({ platform, ajax: { global: true }, controllers: [TransferController, SessionController] });
      host = new URL(t.url).host;
    });
    afterAll(() => t.close());

    const post = (headers: Record<string, string>, path = '/transfer') => t.http().post(path).set(headers).send({ amount: 100 });

    it.each([
      ['a same-origin page (Sec-Fetch-Site: same-origin)', () => ({ 'Sec-Fetch-Site': 'same-origin', Origin: t.url })],
      ['a navigation the user typed (Sec-Fetch-Site: none)', () => ({ 'Sec-Fetch-Site': 'none' })],
      ['a non-browser client (neither header)', () => ({})],
      ['an older browser on the same origin (Origin only, matching Host)', () => ({ Origin: t.url })],
    ])('lets %s through', async (_name, headers) => {
      const res = await post(headers());
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ done: true });
    });

    it.each([
      ['Sec-Fetch-Site: cross-site', () => ({ 'Sec-Fetch-Site': 'cross-site', Origin: 'https://evil.example' }), /Sec-Fetch-Site is "cross-site" and https:\/\/evil\.example is not a trusted origin/],
      ['Sec-Fetch-Site: cross-site without Origin', () => ({ 'Sec-Fetch-Site': 'cross-site' }), /^Cross-site request refused: Sec-Fetch-Site is "cross-site"\.$/],
      ['Sec-Fetch-Site: same-site', () => ({ 'Sec-Fetch-Site': 'same-site', Origin: 'https://sub.example' }), /Sec-Fetch-Site is "same-site"/],
      ['Sec-Fetch-Site: same-origin (a lie) with a cross-site Origin', () => ({ 'Sec-Fetch-Site': 'cross-site', Origin: t.url }), /Sec-Fetch-Site is "cross-site"/],
      ['an Origin of another host, no Sec-Fetch-Site', () => ({ Origin: 'https://evil.example' }), /Origin https:\/\/evil\.example does not match the host/],
      ['an Origin of another port, no Sec-Fetch-Site', () => ({ Origin: 'http://127.0.0.1:1' }), /Origin http:\/\/127\.0\.0\.1:1 does not match the host/],
      ['Origin: null (sandboxed or file page)', () => ({ Origin: 'null' }), /Origin null does not match the host/],
    ])('refuses %s with 403 JSON that says why', async (_name, headers, why) => {
      const res = await post(headers());
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({ ...FORBIDDEN, message: expect.stringMatching(why) });
    });

    it('refuses on routes guarded by AjaxCsrfGuard and by AjaxAuthGuard, before the login check, even when anonymous is allowed', async () => {
      const forged = { 'Sec-Fetch-Site': 'cross-site', Origin: 'https://evil.example' };
      for (const path of ['/transfer/guarded', '/transfer/signed-in', '/transfer/open']) {
        const res = await post(forged, path);
        expect([path, res.status, res.body.error]).toEqual([path, 403, 'Forbidden']);
      }
      expect((await post({}, '/transfer/signed-in')).status).toBe(401);
      expect((await post({}, '/transfer/open')).status).toBe(201);
    });

    it('a forged request\'s 403 leaves the visitor\'s messages pending: another site cannot use them up', async () => {
      const visitor = t.agent();
      await visitor.post('/session/login').expect(302);
      for (const path of ['/transfer', '/transfer/guarded', '/transfer/signed-in']) {
        const forged = await visitor.post(path).set({ 'Sec-Fetch-Site': 'cross-site', Origin: 'https://evil.example' });
        expect([path, forged.status, forged.body.messages]).toEqual([path, 403, undefined]);
      }
      const next = await visitor.post('/session/ping').set({ 'Sec-Fetch-Site': 'same-origin' });
      expect(next.body).toEqual({ ok: true, messages: [{ message: 'Welcome back, ada.', tags: 'success' }] });
    });

    it.each([
      ['Sec-Fetch-Site: cross-site (an image of another site)', { 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Dest': 'image' }],
      ['Sec-Fetch-Site: same-site', { 'Sec-Fetch-Site': 'same-site' }],
      ['an Origin of another site, no Sec-Fetch-Site', { Origin: 'https://evil.example' }],
    ])('a GET from another site (%s) is answered without the messages, which stay pending', async (_, headers) => {
      const visitor = t.agent();
      await visitor.post('/session/login').expect(302);
      for (const path of ['/transfer/read', '/no/such/page']) {
        const res = await visitor.get(path).set(headers);
        expect([path, res.body.messages]).toEqual([path, undefined]);
      }
      const own = await visitor.get('/transfer/read').set({ 'Sec-Fetch-Site': 'same-origin' });
      expect(own.body).toEqual({ read: true, messages: [{ message: 'Welcome back, ada.', tags: 'success' }] });
    });

    it('neither an error answer nor an htmx answer to another site\'s request takes them', async () => {
      const visitor = t.agent();
      await visitor.post('/session/login').expect(302);
      const fromElsewhere = { 'Sec-Fetch-Site': 'cross-site', Origin: 'https://evil.example' };
      const error = await visitor.get('/transfer/missing').set(fromElsewhere);
      expect([error.status, error.body.messages]).toEqual([404, undefined]);
      for (const path of ['/transfer/fragment', '/transfer/read']) {
        const htmx = await visitor.get(path).set({ ...fromElsewhere, 'HX-Request': 'true' });
        expect([path, htmx.status, htmx.headers['hx-trigger'], htmx.body.messages]).toEqual([path, 200, undefined, undefined]);
      }
      const own = await visitor.get('/transfer/fragment').set({ 'Sec-Fetch-Site': 'same-origin', 'HX-Request': 'true' });
      expect(JSON.parse(own.headers['hx-trigger'] as string)).toEqual({ messages: [{ message: 'Welcome back, ada.', tags: 'success' }] });
    });

    it('a GET from the app\'s own page, or typed in the address bar, takes them', async () => {
      for (const site of ['same-origin', 'none']) {
        const visitor = t.agent();
        await visitor.post('/session/login').expect(302);
        const res = await visitor.get('/transfer/read').set({ 'Sec-Fetch-Site': site });
        expect([site, res.body.messages]).toEqual([site, [{ message: 'Welcome back, ada.', tags: 'success' }]]);
      }
    });

    it('lets safe methods through from anywhere', async () => {
      const res = await t.http().get('/transfer/read').set({ 'Sec-Fetch-Site': 'cross-site', Origin: 'https://evil.example' });
      expect(res.status).toBe(200);
    });

    it.each(['PUT', 'PATCH', 'DELETE'])('refuses a forged %s too', async (method) => {
      const res = await t.http()[method.toLowerCase() as 'put' | 'patch' | 'delete']('/transfer').set({ 'Sec-Fetch-Site': 'cross-site' });
      expect(res.status).toBe(403);
    });

    it('reads the Host the request was sent to', () => {
      expect(host).toMatch(/^127\.0\.0\.1:\d+$/);
    });

    it.each([
      ['https://a.example', 'a.example:443'],
      ['http://a.example', 'a.example:80'],
      ['https://a.example', 'A.Example'],
      ['https://a.example:8443', 'A.EXAMPLE:8443'],
    ])('lets an Origin %s through to Host %s, as Nest\'s app.enableCsrfProtection() does', async (origin, hostHeader) => {
      const res = await post({ Origin: origin, Host: hostHeader });
      expect([res.status, res.body]).toEqual([200, { done: true }]);
    });

    it.each([
      ['https://a.example', 'a.example:80'],
      ['http://a.example', 'a.example:443'],
    ])('refuses an Origin %s to Host %s (another port)', async (origin, hostHeader) => {
      const res = await post({ Origin: origin, Host: hostHeader });
      expect([res.status, res.body]).toEqual([403, { ...FORBIDDEN, message: `Cross-site request refused: Origin ${origin} does not match the host ${hostHeader}.` }]);
    });
  });

  describe('cross-site request options', () => {
    it('lets trusted origins through, same-site or cross-site', () =>
      withApp(platform, { csrf: { trustedOrigins: ['https://admin.example'] } }, async (t) => {
        const trusted = await t.http().post('/transfer').set({ 'Sec-Fetch-Site': 'same-site', Origin: 'https://admin.example' });
        expect(trusted.status).toBe(200);
        const alsoTrusted = await t.http().post('/transfer').set({ Origin: 'https://admin.example' });
        expect(alsoTrusted.status).toBe(200);
        const other = await t.http().post('/transfer').set({ 'Sec-Fetch-Site': 'same-site', Origin: 'https://other.example' });
        expect(other.status).toBe(403);
      }));

    it('reads trusted origins as browsers write Origin: lower case, without the default port', () =>
      withApp(platform, { csrf: { trustedOrigins: ['HTTPS://Admin.Example:443'] } }, async (t) => {
        const trusted = await t.http().post('/transfer').set({ 'Sec-Fetch-Site': 'cross-site', Origin: 'https://admin.example' });
        expect([trusted.status, trusted.body]).toEqual([200, { done: true }]);
      }));

    it('refuses at start-up a trusted origin that is not one, naming the option and the value', async () => {
      const start = startTestApp({ platform, ajax: { csrf: { trustedOrigins: ['https://admin.example/'] } }, controllers: [TransferController] });
      await expect(start).rejects.toThrow(AjaxConfigurationError);
      await expect(start).rejects.toThrow(/option "csrf\.trustedOrigins" must hold origins, scheme:\/\/host\[:port\].*; got "https:\/\/admin\.example\/", which/);
    });

    it('strict mode also requires the custom header, from every client', () =>
      withApp(platform, { csrf: { strict: true } }, async (t) => {
        const bare = await t.http().post('/transfer');
        expect(bare.status).toBe(403);
        expect(bare.body).toEqual({ ...FORBIDDEN, message: 'Request refused: the x-requested-with header is required.' });
        const withHeader = await t.http().post('/transfer').set('X-Requested-With', 'XMLHttpRequest');
        expect(withHeader.status).toBe(200);
        const forged = await t.http().post('/transfer').set({ 'X-Requested-With': 'x', 'Sec-Fetch-Site': 'cross-site' });
        expect(forged.status).toBe(403);
      }));

    it('strict mode takes another header name', () =>
      withApp(platform, { csrf: { strict: true, header: 'X-CSRF' } }, async (t) => {
        expect((await t.http().post('/transfer').set('X-Requested-With', 'XMLHttpRequest')).status).toBe(403);
        expect((await t.http().post('/transfer').set('X-CSRF', '1')).status).toBe(200);
      }));

    it('csrf: false turns the check off', () =>
      withApp(platform, { csrf: false }, async (t) => {
        const res = await t.http().post('/transfer').set({ 'Sec-Fetch-Site': 'cross-site', Origin: 'https://evil.example' });
        expect(res.status).toBe(200);
      }));

    it('a trusted origin\'s GET takes the messages; with csrf: false, any site\'s does', async () => {
      const cases: Array<[AjaxModuleOptions, string]> = [
        [{ csrf: { trustedOrigins: ['https://admin.example'] } }, 'https://admin.example'],
        [{ csrf: false }, 'https://evil.example'],
      ];
      for (const [options, origin] of cases) {
        const t = await startTestApp({ platform, ajax: { global: true, ...options }, controllers: [TransferController, SessionController] });
        try {
          const visitor = t.agent();
          await visitor.post('/session/login').expect(302);
          const res = await visitor.get('/transfer/read').set({ 'Sec-Fetch-Site': 'cross-site', Origin: origin });
          expect([origin, res.body.messages]).toEqual([origin, [{ message: 'Welcome back, ada.', tags: 'success' }]]);
        } finally {
          await t.close();
        }
      }
    });
  });
});
