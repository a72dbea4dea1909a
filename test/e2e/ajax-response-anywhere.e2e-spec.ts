import { Controller, Get, Post } from '@nestjs/common';
import { Ajax, AjaxResponse, Messages, type RequestMessages } from '../../lib/index.js';
import { PLATFORMS, startTestApp, type TestApp } from '../fixtures/test-app.js';

@Controller('jobs')
class JobsController {
  /** No @Ajax(), no interceptor, the module not global: the status must still hold. */
  @Post()
  queue(@Messages() messages: RequestMessages): AjaxResponse {
    messages.info('Queued.');
    return new AjaxResponse({ queued: true }, { status: 202, success: true });
  }

  @Get('secret')
  secret(): AjaxResponse {
    return new AjaxResponse({}, { status: 401 });
  }

  @Get('plain')
  plain(): object {
    return { plain: true };
  }

  @Get('with-ajax')
  @Ajax()
  withAjax(): AjaxResponse {
    return new AjaxResponse({ done: true }, { status: 202 });
  }
}

/**
 * An AjaxResponse's status holds wherever it is returned, not only on routes
 * that deliver messages; messages stay pending where nothing delivers them.
 */
describe.each(PLATFORMS)('on %s', (platform) => {
  describe('AjaxResponse on a route without @Ajax() or the global option', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ platform, ajax: {}, controllers: [JobsController] });
    });
    afterAll(() => t.close());

    it('answers with its status and body (202, not 200); its message stays pending', async () => {
      const agent = t.agent();
      const res = await agent.post('/jobs');
      expect([res.status, res.body]).toEqual([202, { queued: true, success: true }]);
      const delivered = await agent.get('/jobs/with-ajax');
      expect([delivered.status, delivered.body]).toEqual([202, { done: true, messages: [{ message: 'Queued.', tags: 'info' }] }]);
    });

    it('a 401 gets its WWW-Authenticate challenge', async () => {
      const res = await t.http().get('/jobs/secret');
      expect([res.status, res.headers['www-authenticate'], res.body]).toEqual([401, 'Session', {}]);
    });

    it('other bodies are untouched (control)', async () => {
      const res = await t.http().get('/jobs/plain');
      expect([res.status, res.body]).toEqual([200, { plain: true }]);
    });
  });
});
