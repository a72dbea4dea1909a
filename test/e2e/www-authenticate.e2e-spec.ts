import { Controller, Get, UnauthorizedException, UseGuards } from '@nestjs/common';
import { Ajax, AjaxAuthGuard } from '../../lib/index.js';
import { PLATFORMS, startTestApp } from '../fixtures/test-app.js';

@Controller('auth')
class AuthController {
  @Get('guarded')
  @Ajax({ loginRequired: true })
  guarded(): object {
    return {};
  }

  @Get('bare-guard')
  @UseGuards(AjaxAuthGuard)
  bareGuard(): object {
    return {};
  }

  @Get('thrown')
  thrown(): never {
    throw new UnauthorizedException('Token expired');
  }
}

describe.each(PLATFORMS)('on %s', (platform) => {
  describe('every 401 carries WWW-Authenticate (RFC 9110 §15.5.2)', () => {
    it('defaults to the "Session" challenge, which no browser answers with a password dialog', async () => {
      const t = await startTestApp({ platform, ajax: { global: true }, controllers: [AuthController] });
      try {
        for (const path of ['/auth/guarded', '/auth/bare-guard', '/auth/thrown']) {
          const res = await t.http().get(path);
          expect([path, res.status, res.headers['www-authenticate']]).toEqual([path, 401, 'Session']);
        }
        expect((await t.http().get('/auth/thrown')).body).toEqual({ status: 'error', error: 'Unauthorized', message: 'Token expired' });
      } finally {
        await t.close();
      }
    });

    it('takes its challenge from the wwwAuthenticate option', async () => {
      const t = await startTestApp({ platform, ajax: { global: true, wwwAuthenticate: 'Bearer realm="api"' }, controllers: [AuthController] });
      try {
        expect((await t.http().get('/auth/guarded')).headers['www-authenticate']).toBe('Bearer realm="api"');
        expect((await t.http().get('/auth/thrown')).headers['www-authenticate']).toBe('Bearer realm="api"');
      } finally {
        await t.close();
      }
    });

    it('is set by the guard even where Nest\'s own filter answers', async () => {
      const t = await startTestApp({ platform, controllers: [AuthController] });
      try {
        const res = await t.http().get('/auth/bare-guard');
        expect(res.status).toBe(401);
        expect(res.headers['www-authenticate']).toBe('Session');
      } finally {
        await t.close();
      }
    });
  });
});
