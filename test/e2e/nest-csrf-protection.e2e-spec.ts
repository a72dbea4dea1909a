import { Controller, type INestApplication, Post } from '@nestjs/common';
import type { CsrfProtectionOptions } from '@nestjs/common';
import { Ajax, type AjaxModuleOptions } from '../../lib/index.js';
import { captureLogs } from '../fixtures/capture-logs.js';
import { nestCsrf } from '../fixtures/nest-csrf.js';
import { SessionController } from '../fixtures/session.controller.js';
import { type Platform, PLATFORMS, startTestApp, type TestApp } from '../fixtures/test-app.js';

@Controller('pay')
class PayController {
  @Post()
  @Ajax()
  pay(): object {
    return { paid: true };
  }

  @Post('plain')
  plain(): object {
    return { paid: true };
  }

  @Post('webhook')
  @Ajax()
  webhook(): object {
    return { received: true };
  }
}

/** An app with the module's options and what its own set-up enables of Nest's (12.1+) security features. */
async function withApp(
  platform: Platform,
  ajax: AjaxModuleOptions,
  enable: (app: INestApplication) => void,
  run: (t: TestApp) => Promise<void>,
): Promise<void> {
  const t = await startTestApp({ platform, ajax: { global: true, ...ajax }, controllers: [PayController, SessionController], configure: enable });
  try {
    await run(t);
  } finally {
    await t.close();
  }
}

const csrf = (options?: CsrfProtectionOptions) => (app: INestApplication) => void app.enableCsrfProtection(options);

const FORGED = { 'Sec-Fetch-Site': 'cross-site', Origin: 'https://evil.example' };
const NEST_SEC_FETCH_SITE = 'Cross-origin request detected from Sec-Fetch-Site header';

// Nest 11 and 12.0 have no app.enableCsrfProtection(): there the module's check is the only one (cross-site-requests.e2e-spec.ts).
(nestCsrf ? describe.each(PLATFORMS) : describe.skip.each(PLATFORMS))('with Nest\'s app.enableCsrfProtection(), on %s', (platform) => {
  const errors = captureLogs('error');

  it('Nest\'s refusal is the module\'s JSON 403, on any path, and is not logged', () =>
    withApp(platform, {}, csrf(), async (t) => {
      for (const path of ['/pay', '/pay/plain', '/nowhere']) {
        const res = await t.http().post(path).set(FORGED);
        expect([path, res.status, res.headers['content-type'], res.body]).toEqual([
          path,
          403,
          expect.stringMatching(/^application\/json/),
          { status: 'error', error: 'Forbidden', message: NEST_SEC_FETCH_SITE },
        ]);
      }
      const oldBrowser = await t.http().post('/pay/plain').set({ Origin: 'https://evil.example' });
      expect([oldBrowser.status, oldBrowser.body]).toEqual([403, { status: 'error', error: 'Forbidden', message: expect.stringMatching(/^Cross-origin request detected, and\/or browser is out of date/) }]);
      expect(errors).toEqual([]);
    }));

  it('Nest\'s refusal leaves the visitor\'s messages pending', () =>
    withApp(platform, {}, csrf(), async (t) => {
      const visitor = t.agent();
      await visitor.post('/session/login').set({ 'Sec-Fetch-Site': 'same-origin' }).expect(302);
      const forged = await visitor.post('/pay/plain').set(FORGED);
      expect([forged.status, forged.body.message, forged.body.messages]).toEqual([403, NEST_SEC_FETCH_SITE, undefined]);
      const next = await visitor.post('/session/ping').set({ 'Sec-Fetch-Site': 'same-origin' });
      expect(next.body).toEqual({ ok: true, messages: [{ message: 'Welcome back, ada.', tags: 'success' }] });
    }));

  it('an @Ajax() route needs both checks: an origin only Nest trusts is still refused there, one both trust passes', async () => {
    await withApp(platform, {}, csrf({ trustedOrigins: ['https://admin.example'] }), async (t) => {
      const admin = { 'Sec-Fetch-Site': 'cross-site', Origin: 'https://admin.example' };
      expect((await t.http().post('/pay/plain').set(admin)).status).toBe(201);
      const refused = await t.http().post('/pay').set(admin);
      expect([refused.status, refused.body.message]).toEqual([403, 'Cross-site request refused: Sec-Fetch-Site is "cross-site" and https://admin.example is not a trusted origin.']);
      const forged = await t.http().post('/pay').set(FORGED);
      expect([forged.status, forged.body.message]).toEqual([403, NEST_SEC_FETCH_SITE]);
      expect((await t.http().post('/pay').set({ 'Sec-Fetch-Site': 'same-origin', Origin: t.url })).status).toBe(201);
    });
    await withApp(platform, { csrf: { trustedOrigins: ['https://admin.example'] } }, csrf({ trustedOrigins: ['https://admin.example'] }), async (t) => {
      const trusted = await t.http().post('/pay').set({ 'Sec-Fetch-Site': 'cross-site', Origin: 'https://admin.example' });
      expect([trusted.status, trusted.body]).toEqual([201, { paid: true }]);
    });
  });

  it('strict mode still requires its header on the module\'s routes', () =>
    withApp(platform, { csrf: { strict: true, trustedOrigins: ['https://admin.example'] } }, csrf({ trustedOrigins: ['https://admin.example'] }), async (t) => {
      const bare = await t.http().post('/pay').set({ 'Sec-Fetch-Site': 'same-origin' });
      expect([bare.status, bare.body]).toEqual([403, { status: 'error', error: 'Forbidden', message: 'Request refused: the x-requested-with header is required.' }]);
      const withHeader = await t.http().post('/pay').set({ 'Sec-Fetch-Site': 'cross-site', Origin: 'https://admin.example', 'X-Requested-With': 'XMLHttpRequest' });
      expect([withHeader.status, withHeader.body]).toEqual([201, { paid: true }]);
    }));

  it('Nest\'s exclude does not open a route the module guards; a route only Nest checked is open where Nest excludes it', async () => {
    for (const exclude of [['pay/webhook'], () => true] as const) {
      await withApp(platform, {}, csrf({ exclude: exclude as CsrfProtectionOptions['exclude'] }), async (t) => {
        const res = await t.http().post('/pay/webhook').set(FORGED);
        expect([res.status, res.body.message]).toEqual([403, 'Cross-site request refused: Sec-Fetch-Site is "cross-site" and https://evil.example is not a trusted origin.']);
      });
    }
    await withApp(platform, {}, csrf({ exclude: () => true }), async (t) => {
      expect((await t.http().post('/pay/plain').set(FORGED)).status).toBe(201);
    });
  });

  it('app.useSecurityHeaders() alone is not taken for the cross-site check', () =>
    withApp(platform, {}, (app) => void app.useSecurityHeaders(), async (t) => {
      const res = await t.http().post('/pay').set(FORGED);
      expect([res.status, res.body.message]).toEqual([403, expect.stringMatching(/^Cross-site request refused: Sec-Fetch-Site is "cross-site"/)]);
    }));
});
