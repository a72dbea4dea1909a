import { Controller, Get, Post, UseGuards } from '@nestjs/common';
import Bluebird from 'bluebird';
import { Ajax, AjaxAuthGuard, type AjaxModuleOptions, type AjaxRequest } from '../../lib/index.js';
import { captureLogs } from '../fixtures/capture-logs.js';
import { PLATFORMS, startTestApp, type TestApp } from '../fixtures/test-app.js';
import { APlusThenable, INTERNAL, JSON_TYPE, UNAUTHORIZED } from './trust-helpers.js';

/**
 * Decision 1: only a real `true` from isAuthenticated lets a visitor through;
 * thenables (Bluebird, any object with a `then` function) are awaited; any
 * other resolved value is a 401; a throw or a rejection is a 500; in every
 * refusal the handler never runs.
 */

let runs = 0;

@Controller('p1')
class GuardedController {
  @Get('ajax')
  @Ajax({ loginRequired: true })
  viaAjax(): { ran: 'ajax' } {
    runs += 1;
    return { ran: 'ajax' };
  }

  @Get('guard')
  @UseGuards(AjaxAuthGuard)
  viaGuard(): { ran: 'guard' } {
    runs += 1;
    return { ran: 'guard' };
  }

  /** Only POST, only for signed-in visitors: a GET asks the log-in check of decision 6. */
  @Post('login-only')
  @Ajax({ loginRequired: true })
  loginOnly(): { ran: 'login-only' } {
    runs += 1;
    return { ran: 'login-only' };
  }
}

/** What isAuthenticated answers, chosen per request by the X-Auth-Case header. */
const CASES: Record<string, () => unknown> = {
  true: () => true,
  false: () => false,
  one: () => 1,
  yes: () => 'yes',
  object: () => ({}),
  'promise-true': () => Promise.resolve(true),
  'promise-yes': () => Promise.resolve('yes'),
  'promise-one': () => Promise.resolve(1),
  'bluebird-true': () => Bluebird.delay(5).then(() => true),
  'bluebird-false': () => Bluebird.delay(5).then(() => false),
  'bluebird-yes': () => Bluebird.delay(5).then(() => 'yes'),
  'thenable-true': () => APlusThenable.resolve(true),
  'thenable-false': () => APlusThenable.resolve(false),
  'thenable-yes': () => APlusThenable.resolve('yes'),
  throw: () => {
    throw new Error('auth backend down (sync)');
  },
  'reject-native': () => Promise.reject(new Error('auth backend down (native)')),
  'reject-bluebird': () => Bluebird.delay(5).then(() => Bluebird.reject(new Error('auth backend down (bluebird)'))),
  'reject-thenable': () => APlusThenable.reject(new Error('auth backend down (thenable)')),
};

function isAuthenticated(req: AjaxRequest): unknown {
  const name = req.headers['x-auth-case'];
  const answer = typeof name === 'string' ? CASES[name] : undefined;
  if (!answer) throw new Error(`unknown X-Auth-Case ${String(name)}`);
  return answer();
}

describe.each(PLATFORMS)('on %s', (platform) => {
  describe('decision 1: isAuthenticated lets only a real true through', () => {
    let t: TestApp;
    captureLogs('error');
    beforeAll(async () => {
      t = await startTestApp({ platform,
        ajax: { global: true, isAuthenticated: isAuthenticated as unknown as NonNullable<AjaxModuleOptions['isAuthenticated']> },
        controllers: [GuardedController],
      });
    });
    afterAll(() => t.close());

    const ROUTES = ['/p1/ajax', '/p1/guard'];

    it.each(['true', 'promise-true', 'bluebird-true', 'thenable-true'])('%s passes (@Ajax and AjaxAuthGuard)', async (name) => {
      for (const path of ROUTES) {
        const before = runs;
        const res = await t.http().get(path).set('X-Auth-Case', name);
        expect([path, res.status, res.body]).toEqual([path, 200, { ran: path.slice('/p1/'.length) }]);
        expect(runs).toBe(before + 1);
      }
    });

    it.each(['false', 'one', 'yes', 'object', 'promise-yes', 'promise-one', 'bluebird-false', 'bluebird-yes', 'thenable-false', 'thenable-yes'])(
      'a resolved %s is 401 with WWW-Authenticate and the module body, and the handler never runs',
      async (name) => {
        for (const path of ROUTES) {
          const before = runs;
          const res = await t.http().get(path).set('X-Auth-Case', name);
          expect([path, res.status, res.headers['www-authenticate'], res.headers['content-type'], res.body]).toEqual([
            path,
            401,
            'Session',
            JSON_TYPE,
            UNAUTHORIZED,
          ]);
          expect(runs).toBe(before);
        }
      },
    );

    it.each(['throw', 'reject-native', 'reject-bluebird', 'reject-thenable'])('%s is a 500 and the handler never runs', async (name) => {
      for (const path of ROUTES) {
        const before = runs;
        const res = await t.http().get(path).set('X-Auth-Case', name);
        expect([path, res.status, res.headers['content-type'], res.body]).toEqual([path, 500, JSON_TYPE, INTERNAL]);
        expect(res.headers['www-authenticate']).toBeUndefined();
        expect(runs).toBe(before);
      }
    });

    describe('in the log-in check of a known path asked with another method (decision 6)', () => {
      it('a thenable resolving "yes" is anonymous: 401, no Allow', async () => {
        const res = await t.http().get('/p1/login-only').set('X-Auth-Case', 'thenable-yes');
        expect(res.status).toBe(401);
        expect(res.headers['www-authenticate']).toBe('Session');
        expect(res.headers.allow).toBeUndefined();
        expect(res.body).toEqual(UNAUTHORIZED);
      });

      it('a Bluebird resolving "yes" is anonymous: 401, no Allow', async () => {
        const res = await t.http().get('/p1/login-only').set('X-Auth-Case', 'bluebird-yes');
        expect(res.status).toBe(401);
        expect(res.headers['www-authenticate']).toBe('Session');
        expect(res.headers.allow).toBeUndefined();
        expect(res.body).toEqual(UNAUTHORIZED);
      });

      it('a Bluebird resolving true is signed in: 405 with Allow', async () => {
        const res = await t.http().get('/p1/login-only').set('X-Auth-Case', 'bluebird-true');
        expect(res.status).toBe(405);
        expect(res.headers.allow).toBe('POST');
        expect(res.body).toEqual({ status: 'error', error: 'Method not allowed' });
      });

      it.each(['throw', 'reject-bluebird', 'reject-thenable'])('%s is a 500, not a 405', async (name) => {
        const res = await t.http().get('/p1/login-only').set('X-Auth-Case', name);
        expect(res.status).toBe(500);
        expect(res.headers.allow).toBeUndefined();
        expect(res.body).toEqual(INTERNAL);
      });
    });
  });
});
