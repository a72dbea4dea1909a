import { captureLogs } from '../fixtures/capture-logs.js';
import { ConnectFlashController, connectFlashScenarios, FLASH_MESSAGES } from '../fixtures/connect-flash-fixtures.js';
import { type FastifySessions, type Platform, PLATFORMS, startTestApp, type TestApp } from '../fixtures/test-app.js';

/**
 * `flash: true` gives every request connect-flash's `req.flash()`, over the
 * module's messages in the session: its answers, its formatting and arrays,
 * one type taken and the others left pending in order, everything taken
 * grouped by type, the pending bound; on Express (express-session) and on
 * Fastify (`@fastify/session` and `@fastify/secure-session`), synchronously
 * as connect-flash answers. Without the option, no request has a `flash`.
 */
describe.each<[string, Platform, FastifySessions | undefined]>([
  ['express with express-session', 'express', undefined],
  ['fastify with @fastify/session', 'fastify', 'session'],
  ['fastify with @fastify/secure-session', 'fastify', 'secure-session'],
])('req.flash() on %s, messages in the session', (_name, platform, fastifySessions) => {
  let t: TestApp;
  captureLogs('warn');
  beforeAll(async () => {
    t = await startTestApp({ platform, fastifySessions, ajax: { flash: true, messages: FLASH_MESSAGES }, controllers: [ConnectFlashController] });
  });
  afterAll(() => t.close());

  connectFlashScenarios(() => t, true);

  it('is one function every request inherits, not a property of each request', async () => {
    expect((await t.http().get('/cf/installed')).body).toEqual({ flash: 'function', own: false });
  });
});

describe.each(PLATFORMS)('without flash: true on %s', (platform) => {
  it('no request has a flash()', async () => {
    const t = await startTestApp({ platform, ajax: { global: true }, controllers: [ConnectFlashController] });
    try {
      expect((await t.http().get('/cf/installed')).body).toEqual({ flash: 'undefined', own: false });
    } finally {
      await t.close();
    }
  });
});
