import { Controller, Get, NotFoundException } from '@nestjs/common';
import { Ajax, type AjaxErrorInfo, type AjaxModuleOptions, type AjaxRequest, Messages, type RequestMessages } from '../../lib/index.js';
import { captureLogs } from '../fixtures/capture-logs.js';
import { PLATFORMS, startTestApp, type TestApp } from '../fixtures/test-app.js';
import { JSON_TYPE } from './trust-helpers.js';

/**
 * Decision 3: errorBody may be async. If it throws, rejects, or gives
 * something whose JSON is not an object, the client gets the module's default
 * body with the right status, application/json and the pending messages; an
 * error log names "errorBody" and why, once per kind of failure, not once per
 * request. A usable async result is sent as is.
 */

@Controller('p3')
class FailingController {
  @Get('missing')
  @Ajax()
  missing(@Messages() messages: RequestMessages): never {
    messages.warning('Before the error.');
    throw new NotFoundException('Poll 7 does not exist');
  }

  @Get('bug')
  @Ajax()
  bug(@Messages() messages: RequestMessages): never {
    messages.warning('Before the bug.');
    throw new Error('db password is hunter2');
  }
}

const WARNING = { message: 'Before the error.', tags: 'warning' };
const DEFAULT_404 = { status: 'error', error: 'Not found', message: 'Poll 7 does not exist', messages: [WARNING] };
const DEFAULT_500 = { status: 'error', error: 'Internal server error', messages: [{ message: 'Before the bug.', tags: 'warning' }] };

function cycle(): object {
  const node: Record<string, unknown> = { name: 'loop' };
  node.self = node;
  return node;
}

/** What errorBody gives, chosen per request by the X-Body header. */
const BODIES: Record<string, (info: AjaxErrorInfo) => unknown> = {
  'sync-ok': (info) => ({ code: info.status, text: info.error, detail: info.message, notices: info.messages }),
  'async-ok': async (info) => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return { code: info.status, text: info.error, detail: info.message, notices: info.messages };
  },
  throws: () => {
    throw new Error('errorBody boom: throws');
  },
  rejects: () => {
    const rejected = new Promise((_resolve, reject) => setTimeout(() => reject(new Error('errorBody boom: rejects')), 5));
    // Marked as handled, so that a module that never awaits it leaves no unhandled rejection to blame other tests.
    rejected.catch(() => undefined);
    return rejected;
  },
  undefined: () => undefined,
  null: () => null,
  string: () => 'an error happened',
  number: () => 404,
  array: (info) => [info.status, info.error],
  bigint: (info) => ({ code: BigInt(info.status) }),
  cycle: () => cycle(),
  'tojson-throws': () => ({
    toJSON(): never {
      throw new Error('toJSON boom');
    },
  }),
  'then-getter-throws': () => ({
    get then(): never {
      throw new Error('then boom');
    },
  }),
  'second-read-throws': () => {
    let reads = 0;
    return {
      get code(): number {
        reads += 1;
        if (reads > 1) throw new Error('read twice');
        return 1;
      },
    };
  },
  'async-undefined': async () => undefined,
  'async-string': async () => 'an error happened',
  'async-bigint': async (info) => ({ nested: { code: BigInt(info.status) } }),
  'async-cycle': async () => cycle(),
};

function errorBody(info: AjaxErrorInfo, req: AjaxRequest): unknown {
  const name = req.headers['x-body'];
  const build = typeof name === 'string' ? BODIES[name] : undefined;
  if (!build) throw new Error(`unknown X-Body ${String(name)}`);
  return build(info);
}

describe.each(PLATFORMS)('on %s', (platform) => {
  describe('decision 3: a failing or unusable errorBody falls back to the default body', () => {
    let t: TestApp;
    const errors = captureLogs('error');
    const aboutErrorBody = (): string[] => errors.filter((line) => line.includes('errorBody'));
    beforeAll(async () => {
      t = await startTestApp({ platform,
        ajax: { global: true, errorBody: errorBody as unknown as NonNullable<AjaxModuleOptions['errorBody']> },
        controllers: [FailingController],
      });
    });
    afterAll(() => t.close());

    // First in the file: these kinds have not been reported yet, whatever the module keeps process-wide.
    it.each([
      ['throws', 'errorBody boom: throws'],
      ['rejects', 'errorBody boom: rejects'],
      // The first result whose JSON is not an object: its kind has not been reported yet either.
      ['gives undefined', ''],
    ])('errorBody that %s: the default body with the messages, and one log naming errorBody and why for three requests', async (name, why) => {
      for (let i = 0; i < 3; i++) {
        const res = await t.agent().get('/p3/missing').set('X-Body', name.replace('gives ', ''));
        expect([i, res.status, res.headers['content-type'], res.body]).toEqual([i, 404, JSON_TYPE, DEFAULT_404]);
      }
      expect(aboutErrorBody()).toHaveLength(1);
      expect(aboutErrorBody()[0]).toContain(why);
    });

    it('an async errorBody\'s usable result is sent as is', async () => {
      const res = await t.agent().get('/p3/missing').set('X-Body', 'async-ok');
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toBe(JSON_TYPE);
      expect(res.body).toEqual({ code: 404, text: 'Not found', detail: 'Poll 7 does not exist', notices: [WARNING] });
      expect(aboutErrorBody()).toEqual([]);
    });

    it('an async errorBody shapes a 500 too, with no word of the bug', async () => {
      const res = await t.agent().get('/p3/bug').set('X-Body', 'async-ok');
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ code: 500, text: 'Internal server error', notices: [{ message: 'Before the bug.', tags: 'warning' }] });
    });

    it('a sync errorBody\'s result is sent as is (control)', async () => {
      const res = await t.agent().get('/p3/missing').set('X-Body', 'sync-ok');
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ code: 404, text: 'Not found', detail: 'Poll 7 does not exist', notices: [WARNING] });
    });

    const UNUSABLE = [
      'undefined', 'null', 'string', 'number', 'array', 'bigint', 'cycle', 'tojson-throws', 'then-getter-throws', 'second-read-throws',
      'async-undefined', 'async-string', 'async-bigint', 'async-cycle',
    ];

    it.each(UNUSABLE)('errorBody giving %s: the default 404 body with the messages, as application/json', async (name) => {
      const res = await t.agent().get('/p3/missing').set('X-Body', name);
      expect([res.status, res.headers['content-type'], res.body]).toEqual([404, JSON_TYPE, DEFAULT_404]);
    });

    it.each(['throws', 'rejects', 'bigint', 'async-cycle', 'null'])('errorBody failing (%s) on a 500: the default 500 body with the messages', async (name) => {
      const res = await t.agent().get('/p3/bug').set('X-Body', name);
      expect([res.status, res.headers['content-type'], res.body]).toEqual([500, JSON_TYPE, DEFAULT_500]);
    });

    it('unusable results are logged once per kind, not once per request: a second round logs nothing new', async () => {
      for (const name of UNUSABLE) await t.agent().get('/p3/missing').set('X-Body', name);
      const afterOneRound = aboutErrorBody().length;
      for (const name of UNUSABLE) {
        const res = await t.agent().get('/p3/missing').set('X-Body', name);
        expect([name, res.status, res.body]).toEqual([name, 404, DEFAULT_404]);
      }
      expect(aboutErrorBody()).toHaveLength(afterOneRound);
    });
  });
});
