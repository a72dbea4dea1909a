import { AjaxConfigurationError, AjaxModule, SessionMessageStorage } from '../../lib/index.js';
import { captureLogs } from '../fixtures/capture-logs.js';
import { EchoMessagesController } from '../fixtures/echo-messages.controller.js';
import { FlashController } from '../fixtures/flash.controller.js';
import { PLATFORMS, startTestApp } from '../fixtures/test-app.js';
import { info } from './trust-helpers.js';

/**
 * Decision 11: messages.sessionKey among express-session's own members and
 * what sessions rely on throws AjaxConfigurationError at forRoot, whose
 * message lists the reserved names.
 */

const RESERVED = [
  'cookie',
  'save',
  'id',
  'req',
  'regenerate',
  'destroy',
  'reload',
  'touch',
  'resetMaxAge',
  'passport',
  '__proto__',
  'constructor',
  'hasOwnProperty',
  'toString',
];

function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe.each(PLATFORMS)('on %s', (platform) => {
  describe('decision 11: a session key the session itself needs is refused at start-up', () => {
    captureLogs('warn');

    it.each(RESERVED)('sessionKey %p: AjaxConfigurationError at forRoot, listing every reserved name', (key) => {
      const thrown = thrownBy(() => AjaxModule.forRoot({ messages: { sessionKey: key } }));
      expect(thrown).toBeInstanceOf(AjaxConfigurationError);
      const message = (thrown as Error).message;
      expect(message).toContain('messages.sessionKey');
      // Quoted or not, each reserved name is named; "id" and "req" are checked as words.
      for (const name of RESERVED) expect([name, new RegExp(`(^|[^A-Za-z_])${name}([^A-Za-z_]|$)`).test(message)]).toEqual([name, true]);
    });

    it.each(['cookie', 'save', '__proto__'])('new SessionMessageStorage(%p) is refused too, naming the reserved names', (key) => {
      const thrown = thrownBy(() => new SessionMessageStorage(key));
      expect(thrown).toBeInstanceOf(AjaxConfigurationError);
      expect((thrown as Error).message).toContain('regenerate');
    });

    it('the app does not start with sessionKey "cookie"', async () => {
      let thrown: unknown;
      try {
        const started = await startTestApp({ platform, ajax: { global: true, messages: { sessionKey: 'cookie' } }, controllers: [EchoMessagesController] });
        await started.close();
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(AjaxConfigurationError);
    });

    describe('controls', () => {
      it.each(['flash', '_messages', 'messages', 'cookies', 'user'])('sessionKey %p is accepted', (key) => {
        expect(thrownBy(() => AjaxModule.forRoot({ messages: { sessionKey: key } }))).toBeUndefined();
      });

      it('a message under sessionKey "flash" is carried across a redirect', async () => {
        const t = await startTestApp({ platform, ajax: { global: true, messages: { sessionKey: 'flash' } }, controllers: [EchoMessagesController, FlashController] });
        try {
          const visitor = t.agent();
          expect((await visitor.post('/flash/redirect?add=Kept.')).status).toBe(302);
          expect((await visitor.get('/echo')).body).toEqual({ added: [], messages: [info('Kept.')] });
        } finally {
          await t.close();
        }
      });
    });
  });
});
