import { Controller, Get, HttpCode, HttpException, Post } from '@nestjs/common';
import { Ajax, AjaxResponse, Messages, type RequestMessages } from '../../lib/index.js';
import { PLATFORMS, startTestApp, type TestApp } from '../fixtures/test-app.js';
import { JSON_TYPE } from './trust-helpers.js';

/**
 * Decision 7: a 401 written by a route the module delivers messages on
 * (AjaxResponse with { status: 401 }, or @HttpCode(401) on an @Ajax() route)
 * carries WWW-Authenticate; an app's `throw new HttpException(…, 405)` on a
 * route @Get('x') answers 405 with `Allow: GET, HEAD` (the path's methods);
 * likewise @HttpCode(405) on an @Ajax() route.
 */

@Controller('p7')
class StatusController {
  @Get('ajax-response-401')
  @Ajax()
  ajaxResponse401(@Messages() messages: RequestMessages): AjaxResponse {
    messages.warning('Your session has expired.');
    return new AjaxResponse({ signIn: '/login' }, { success: false, status: 401 });
  }

  @Get('http-code-401')
  @Ajax()
  @HttpCode(401)
  httpCode401(): { signIn: string } {
    return { signIn: '/login' };
  }

  /** No @Ajax(): the global AjaxMessagesInterceptor delivers the messages here. */
  @Get('global-401')
  global401(@Messages() messages: RequestMessages): AjaxResponse {
    messages.warning('Your session has expired.');
    return new AjaxResponse({ signIn: '/login' }, { status: 401 });
  }

  @Get('global-http-code-401')
  @HttpCode(401)
  globalHttpCode401(): { signIn: string } {
    return { signIn: '/login' };
  }

  @Get('thrown-405')
  thrown405(): never {
    throw new HttpException('Voting is closed', 405);
  }

  @Get('multi')
  multiGet(): { ok: true } {
    return { ok: true };
  }

  @Post('multi')
  multiPost(): never {
    throw new HttpException('Voting is closed', 405);
  }

  @Get('http-code-405')
  @Ajax()
  @HttpCode(405)
  httpCode405(): { closed: true } {
    return { closed: true };
  }
}

describe.each(PLATFORMS)('on %s', (platform) => {
  describe('decision 7: the headers a status needs, whoever wrote the status', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ platform, ajax: { global: true }, controllers: [StatusController] });
    });
    afterAll(() => t.close());

    it('an AjaxResponse with status 401 carries WWW-Authenticate: Session, and its messages', async () => {
      const res = await t.agent().get('/p7/ajax-response-401');
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Session');
      expect(res.headers['content-type']).toBe(JSON_TYPE);
      expect(res.body).toEqual({ signIn: '/login', success: false, messages: [{ message: 'Your session has expired.', tags: 'warning' }] });
    });

    it('@HttpCode(401) on an @Ajax() route carries WWW-Authenticate: Session', async () => {
      const res = await t.agent().get('/p7/http-code-401');
      expect([res.status, res.headers['www-authenticate'], res.body]).toEqual([401, 'Session', { signIn: '/login' }]);
    });

    it('the same through the global interceptor (no @Ajax()): AjaxResponse 401 and @HttpCode(401) carry WWW-Authenticate', async () => {
      const viaResponse = await t.agent().get('/p7/global-401');
      expect([viaResponse.status, viaResponse.headers['www-authenticate'], viaResponse.body]).toEqual([
        401,
        'Session',
        { signIn: '/login', messages: [{ message: 'Your session has expired.', tags: 'warning' }] },
      ]);
      const viaHttpCode = await t.agent().get('/p7/global-http-code-401');
      expect([viaHttpCode.status, viaHttpCode.headers['www-authenticate'], viaHttpCode.body]).toEqual([401, 'Session', { signIn: '/login' }]);
    });

    it('throw new HttpException(…, 405) on a @Get route: 405 with Allow: GET, HEAD', async () => {
      const res = await t.agent().get('/p7/thrown-405');
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe('GET, HEAD');
      expect(res.body).toEqual({ status: 'error', error: 'Method not allowed', message: 'Voting is closed' });
    });

    it('throw new HttpException(…, 405) on a path with GET and POST: Allow lists the path\'s methods', async () => {
      const res = await t.agent().post('/p7/multi');
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe('GET, POST, HEAD');
      expect(res.body).toEqual({ status: 'error', error: 'Method not allowed', message: 'Voting is closed' });
    });

    it('@HttpCode(405) on an @Ajax() route: 405 with Allow: GET, HEAD', async () => {
      const res = await t.agent().get('/p7/http-code-405');
      expect([res.status, res.headers.allow, res.body]).toEqual([405, 'GET, HEAD', { closed: true }]);
    });
  });
});
