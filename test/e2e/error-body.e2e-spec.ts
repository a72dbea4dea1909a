import { Controller, Get, UseGuards } from '@nestjs/common';
import { AjaxAuthGuard, type AjaxErrorInfo } from '../../lib/index.js';
import { ErrorsController } from '../fixtures/errors.controller.js';
import { PLATFORMS, startTestApp, type TestApp } from '../fixtures/test-app.js';

@Controller('private')
@UseGuards(AjaxAuthGuard)
class PrivateController {
  @Get()
  secret(): object {
    return { secret: 42 };
  }
}

describe.each(PLATFORMS)('on %s', (platform) => {
  describe('the errorBody option', () => {
    let t: TestApp;
    const seen: AjaxErrorInfo[] = [];
    beforeAll(async () => {
      t = await startTestApp({ platform,
        ajax: {
          global: true,
          errorBody: (info) => {
            seen.push(info);
            return {
              status: String(info.status),
              message: info.message ?? info.error,
              timestamp: '2026-01-01T00:00:00.000Z',
              errorcode: `E${info.status}`,
              ...(info.messages ? { notices: info.messages } : {}),
            };
          },
        },
        controllers: [PrivateController, ErrorsController],
      });
    });
    afterAll(() => t.close());

    it('replaces the shape of a 401 and keeps its status', async () => {
      const res = await t.http().get('/private');
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ status: '401', message: 'Unauthorized', timestamp: '2026-01-01T00:00:00.000Z', errorcode: 'E401' });
    });

    it('receives the status, phrase, message, messages and the exception itself', async () => {
      seen.length = 0;
      const res = await t.http().get('/errors/bug');
      expect(res.status).toBe(500);
      expect(res.body).toEqual({
        status: '500',
        message: 'Internal server error',
        timestamp: '2026-01-01T00:00:00.000Z',
        errorcode: 'E500',
        notices: [{ message: 'Something went wrong.', tags: 'warning' }],
      });
      expect(seen).toHaveLength(1);
      expect(seen[0].exception).toBeInstanceOf(Error);
      expect((seen[0].exception as Error).message).toBe('db password is hunter2');
      expect(seen[0].message).toBeUndefined();
    });

    it('also shapes unknown routes', async () => {
      const res = await t.http().get('/nowhere');
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ status: '404', message: 'Cannot GET /nowhere', timestamp: '2026-01-01T00:00:00.000Z', errorcode: 'E404' });
    });
  });

  describe('an errorBody that throws', () => {
    it('gives way to the default body', async () => {
      const t = await startTestApp({ platform,
        ajax: {
          global: true,
          errorBody: () => {
            throw new Error('broken formatter');
          },
        },
        controllers: [ErrorsController],
      });
      try {
        const res = await t.http().get('/errors/not-found');
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ status: 'error', error: 'Not found', message: 'Poll 7 does not exist' });
      } finally {
        await t.close();
      }
    });
  });
});
