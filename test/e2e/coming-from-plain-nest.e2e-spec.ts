import { Body, type CanActivate, Controller, Get, Injectable, Post, type Type, UseGuards, ValidationPipe } from '@nestjs/common';
import { IsString } from 'class-validator';
import { AjaxAuthGuard, type AjaxModuleOptions } from '../../lib/index.js';
import { PLATFORMS, startTestApp, type TestApp } from '../fixtures/test-app.js';

class NameDto {
  @IsString()
  name!: string;
}

/** An app's own guard, as Nest apps write them: false means "no". */
@Injectable()
class DenyGuard implements CanActivate {
  canActivate(): boolean {
    return false;
  }
}

/**
 * The same routes before and after an app turns the module on: only the
 * answers differ. `privateGuard` guards `/app/private`: AjaxAuthGuard with the
 * module, the app's own guard without it (AjaxAuthGuard needs the module).
 */
function appRoutes(privateGuard: Type<CanActivate>): Type {
  @Controller('app')
  class AppRoutes {
    @Post('vote')
    vote(): object {
      return { ok: true };
    }

    @Get('private')
    @UseGuards(privateGuard)
    private(): object {
      return { ok: true };
    }

    @Get('denied')
    @UseGuards(DenyGuard)
    denied(): object {
      return { ok: true };
    }

    @Post('names')
    names(@Body() dto: NameDto): object {
      return dto;
    }

    @Get('crash')
    crash(): never {
      throw new Error('db password is hunter2');
    }
  }
  return AppRoutes;
}

/** The README's table: request, then what plain Nest answers, then what the module answers. */
const TABLE: Array<[string, string, [number, object], [number, object, Record<string, string>?]]> = [
  ['GET', '/nowhere', [404, { statusCode: 404, error: 'Not Found', message: 'Cannot GET /nowhere' }], [404, { status: 'error', error: 'Not found', message: 'Cannot GET /nowhere' }]],
  ['GET', '/app/vote', [404, { statusCode: 404, error: 'Not Found', message: 'Cannot GET /app/vote' }], [405, { status: 'error', error: 'Method not allowed' }, { allow: 'POST' }]],
  ['GET', '/app/denied', [403, { statusCode: 403, error: 'Forbidden', message: 'Forbidden resource' }], [403, { status: 'error', error: 'Forbidden', message: 'Forbidden resource' }]],
  ['POST', '/app/names', [400, { statusCode: 400, error: 'Bad Request', message: ['name must be a string'] }], [400, { status: 'error', error: 'Bad request', message: ['name must be a string'] }]],
  ['GET', '/app/crash', [500, { statusCode: 500, message: 'Internal server error' }], [500, { status: 'error', error: 'Internal server error' }]],
];

describe.each(PLATFORMS)('on %s', (platform) => {
  describe('what changes for an existing app that turns the filter on', () => {
    let plain: TestApp;
    let withModule: TestApp;
    const pipes = { configure: (app: TestApp['app']) => app.useGlobalPipes(new ValidationPipe()) };
    beforeAll(async () => {
      plain = await startTestApp({ platform, ajax: null, controllers: [appRoutes(DenyGuard)], ...pipes });
      withModule = await startTestApp({ platform, ajax: { applyToEveryRoute: true } satisfies AjaxModuleOptions, controllers: [appRoutes(AjaxAuthGuard)], ...pipes });
    });
    afterAll(async () => {
      await plain?.close();
      await withModule?.close();
    });

    it.each(TABLE)('%s %s', async (method, path, before, after) => {
      const send = (t: TestApp) => (method === 'GET' ? t.http().get(path) : t.http().post(path).send({}));
      const without = await send(plain);
      expect([without.status, without.body]).toEqual(before);
      const res = await send(withModule);
      expect([res.status, res.body]).toEqual([after[0], after[1]]);
      for (const [name, value] of Object.entries(after[2] ?? {})) expect(res.headers[name]).toBe(value);
    });

    it('an anonymous visitor gets 401 with a challenge from the module\'s guard, where a Nest guard that says no gives 403', async () => {
      const denied = await plain.http().get('/app/private');
      expect([denied.status, denied.headers['www-authenticate']]).toEqual([403, undefined]);
      const anonymous = await withModule.http().get('/app/private');
      expect([anonymous.status, anonymous.body, anonymous.headers['www-authenticate']]).toEqual([401, { status: 'error', error: 'Unauthorized' }, 'Session']);
    });
  });
});

