import { BadRequestException, Controller, Get, HttpException, InternalServerErrorException } from '@nestjs/common';
import { type AjaxErrorInfo, Messages, type RequestMessages } from '../../lib/index.js';
import { NEST_MAJOR } from '../fixtures/nest-version.js';
import { PLATFORMS, startTestApp, type TestApp } from '../fixtures/test-app.js';

@Controller('members')
class MembersController {
  @Get('validation')
  validation(): never {
    throw new BadRequestException({ code: 'E_NAME', message: 'Name is required', field: 'name' });
  }

  @Get('quota')
  quota(): never {
    throw new HttpException({ reason: 'quota', retryAfter: 30 }, 429);
  }

  @Get('error-code')
  errorCode(): never {
    // Nest 12's option; Nest 11 ignores it.
    throw new BadRequestException('Name is required', { errorCode: 'E_NAME' } as never);
  }

  @Get('collisions')
  collisions(@Messages() messages: RequestMessages): never {
    messages.warning('Check the form.');
    throw new BadRequestException({ status: 'ok', error: 'mine', messages: ['forged'], message: 'Name is required', statusCode: 999, stack: '    at secret (/srv/app.js:1:1)' });
  }

  @Get('server')
  server(): never {
    throw new InternalServerErrorException({ code: 'DB_DOWN', host: 'db-7.internal', message: 'replica refused' });
  }

  @Get('odd-values')
  oddValues(): never {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    throw new BadRequestException({ code: 'E_ODD', big: 10n, cycle, fn: () => 1, missing: undefined, nothing: null });
  }

  @Get('proto')
  proto(): never {
    throw new BadRequestException(JSON.parse('{"__proto__": {"polluted": true}, "code": "E_PROTO"}'));
  }
}

/**
 * With the filter, an app's structured 4xx exceptions keep their data: the
 * members of the exception's response object beyond `message` are in the
 * body, after the module's keys, which they never replace; nothing of a 5xx,
 * never `statusCode` or `stack`, and a member that cannot be sent as JSON
 * costs only itself.
 */
describe.each(PLATFORMS)('on %s', (platform) => {
  describe("an app's own exception members", () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ platform, ajax: { global: true }, controllers: [MembersController] });
    });
    afterAll(() => t.close());

    it('a BadRequestException with code and field keeps them, after status, error and message', async () => {
      const res = await t.http().get('/members/validation');
      expect(res.status).toBe(400);
      expect(res.text).toBe('{"status":"error","error":"Bad request","message":"Name is required","code":"E_NAME","field":"name"}');
    });

    it('an HttpException of an object without a message keeps all of it', async () => {
      const res = await t.http().get('/members/quota');
      expect([res.status, res.body]).toEqual([429, { status: 'error', error: 'Too many requests', reason: 'quota', retryAfter: 30 }]);
    });

    it(`Nest's errorCode option ${NEST_MAJOR >= 12 ? 'is kept (Nest 12)' : 'does not exist on Nest 11: nothing to keep'}`, async () => {
      const res = await t.http().get('/members/error-code');
      const expected = { status: 'error', error: 'Bad request', message: 'Name is required', ...(NEST_MAJOR >= 12 ? { errorCode: 'E_NAME' } : {}) };
      expect([res.status, res.body]).toEqual([400, expected]);
    });

    it("the module's keys win; statusCode and stack never appear; the pending messages are the module's", async () => {
      const res = await t.http().get('/members/collisions');
      expect([res.status, res.body]).toEqual([400, { status: 'error', error: 'Bad request', message: 'Name is required', messages: [{ message: 'Check the form.', tags: 'warning' }] }]);
      expect(res.text).not.toContain('secret');
    });

    it('a 5xx keeps nothing', async () => {
      const res = await t.http().get('/members/server');
      expect([res.status, res.body]).toEqual([500, { status: 'error', error: 'Internal server error' }]);
      expect(res.text).not.toContain('db-7');
    });

    it('a member that cannot be sent as JSON (a BigInt, a cycle, a function, undefined) costs only itself', async () => {
      const res = await t.http().get('/members/odd-values');
      expect([res.status, res.body]).toEqual([400, { status: 'error', error: 'Bad request', code: 'E_ODD', nothing: null }]);
    });

    it('a "__proto__" member stays a member and pollutes nothing', async () => {
      const res = await t.http().get('/members/proto');
      expect(res.status).toBe(400);
      expect(res.text).toBe('{"status":"error","error":"Bad request","__proto__":{"polluted":true},"code":"E_PROTO"}');
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });

  describe('errorBody and the exception members', () => {
    let t: TestApp;
    const seen: AjaxErrorInfo[] = [];
    beforeAll(async () => {
      t = await startTestApp({ platform,
        ajax: { global: true, errorBody: (info) => (seen.push(info), { failed: true, ...info.members }) },
        controllers: [MembersController],
      });
    });
    afterAll(() => t.close());

    it('receives them as info.members', async () => {
      const res = await t.http().get('/members/validation');
      expect(res.body).toEqual({ failed: true, code: 'E_NAME', field: 'name' });
      expect(seen[0].members).toEqual({ code: 'E_NAME', field: 'name' });
    });
  });
});
