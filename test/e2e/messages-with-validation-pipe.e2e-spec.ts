import { Body, Controller, Post, ValidationPipe } from '@nestjs/common';
import { IsString } from 'class-validator';
import { Ajax, Messages, type RequestMessages } from '../../lib/index.js';
import { PLATFORMS, startTestApp, type TestApp } from '../fixtures/test-app.js';

class VoteDto {
  @IsString()
  choice!: string;
}

@Controller('validated')
class ValidatedController {
  @Post()
  @Ajax()
  vote(@Body() dto: VoteDto, @Messages() messages: RequestMessages): object {
    messages.success(`Voted ${dto.choice}.`);
    return { ok: true };
  }
}

describe.each(PLATFORMS)('on %s', (platform) => {
  describe('@Messages() under a global ValidationPipe that validates custom decorators', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ platform,
        ajax: { global: true },
        controllers: [ValidatedController],
        configure: (app) => app.useGlobalPipes(new ValidationPipe({ validateCustomDecorators: true, transform: true })),
      });
    });
    afterAll(() => t.close());

    it('is left alone by the pipe, and the body is still validated', async () => {
      const ok = await t.http().post('/validated').send({ choice: 'red' });
      expect(ok.status).toBe(201);
      expect(ok.body).toEqual({ ok: true, messages: [{ message: 'Voted red.', tags: 'success' }] });
      const bad = await t.http().post('/validated').send({ choice: 3 });
      expect(bad.status).toBe(400);
      expect(bad.body).toEqual({ status: 'error', error: 'Bad request', message: ['choice must be a string'] });
    });
  });
});
