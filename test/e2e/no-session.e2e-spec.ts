import { captureLogs } from '../fixtures/capture-logs.js';
import { EchoMessagesController } from '../fixtures/echo-messages.controller.js';
import { PLATFORMS, startTestApp, type TestApp } from '../fixtures/test-app.js';

describe.each(PLATFORMS)('on %s', (platform) => {
  describe('without express-session', () => {
    let t: TestApp;
    const warnings = captureLogs('warn');
    beforeAll(async () => {
      t = await startTestApp({ platform, session: false, controllers: [EchoMessagesController] });
    });
    afterAll(() => t.close());

    it('delivers a request\'s messages in its own JSON response', async () => {
      const res = await t.http().get('/echo?add=hello');
      expect(res.body).toEqual({ added: ['hello'], messages: [{ message: 'hello', tags: 'info' }] });
      expect(warnings.filter((w) => w.includes('could not be delivered'))).toEqual([]);
    });

    it('logs a message it could not deliver as a warning, and does not carry it over', async () => {
      const kept = await t.http().get('/echo/keep?add=lost-one');
      expect(kept.body).toEqual(['lost-one']);
      await new Promise((resolve) => setTimeout(resolve, 50)); // the warning is logged when the response closes
      expect(warnings.some((w) => w.includes('could not be delivered') && w.includes('"lost-one"'))).toBe(true);
      const next = await t.http().get('/echo');
      expect(next.body).toEqual({ added: [] });
    });
  });
});
