import { All, Controller, Get, Header, Post, Query, Redirect } from '@nestjs/common';
import { Ajax, Messages, type RequestMessages } from '../../lib/index.js';
import { captureLogs } from '../fixtures/capture-logs.js';
import { PLATFORMS, startTestApp, type TestApp } from '../fixtures/test-app.js';
import { info } from './trust-helpers.js';

/**
 * Decision 5: a conditional GET that Express answers 304 (If-Modified-Since
 * against the app's Last-Modified; If-None-Match: *; If-None-Match with the
 * ETag of the body without messages) leaves the messages pending; the next
 * JSON response carries them.
 */

const LAST_MODIFIED = 'Wed, 01 Jan 2025 00:00:00 GMT';

function addAll(messages: RequestMessages, add: string | undefined): void {
  for (const text of add ? add.split(',') : []) messages.info(text);
}

@Controller('p5')
class ConditionalController {
  @Get('dated')
  @Ajax()
  @Header('Last-Modified', LAST_MODIFIED)
  dated(@Query('add') add: string | undefined, @Messages() messages: RequestMessages): { poll: number } {
    addAll(messages, add);
    return { poll: 1 };
  }

  @Get('tagged')
  @Ajax()
  tagged(@Query('add') add: string | undefined, @Messages() messages: RequestMessages): { poll: number } {
    addAll(messages, add);
    return { poll: 2 };
  }

  @Post('flash')
  @Redirect('/p5/ping', 302)
  flash(@Query('add') add: string | undefined, @Messages() messages: RequestMessages): void {
    addAll(messages, add);
  }

  @All('ping')
  @Ajax()
  ping(): { ok: true } {
    return { ok: true };
  }
}

// Express answers conditional requests itself (ETag, Last-Modified); Fastify sends a 304 only where the app or a
// plugin does, and a reply the app sets to 304 has no body, which already leaves the messages pending.
describe.each(PLATFORMS.filter((each) => each === 'express'))('on %s', (platform) => {
  describe.each([
    ['@Ajax() alone', false],
    ['global: true', true],
  ])('decision 5: a 304 leaves the messages pending (%s)', (_name, global) => {
    let t: TestApp;
    captureLogs('warn');
    beforeAll(async () => {
      t = await startTestApp({ platform, ajax: { global }, controllers: [ConditionalController] });
    });
    afterAll(() => t.close());

    /** The ETag of /p5/tagged's body without messages, as a visitor with none pending gets it. */
    async function plainETag(): Promise<string> {
      const res = await t.agent().get('/p5/tagged');
      expect(res.body).toEqual({ poll: 2 });
      const etag = res.headers.etag;
      if (typeof etag !== 'string') throw new Error('no ETag');
      return etag;
    }

    it('If-Modified-Since the app\'s Last-Modified: 304, then the next JSON response carries both messages', async () => {
      const visitor = t.agent();
      expect((await visitor.post('/p5/flash?add=Carried.')).status).toBe(302);
      const res = await visitor.get('/p5/dated?add=Added.').set('If-Modified-Since', LAST_MODIFIED);
      expect(res.status).toBe(304);
      expect(res.text).toBe('');
      const next = await visitor.get('/p5/ping');
      expect(next.body).toEqual({ ok: true, messages: [info('Carried.'), info('Added.')] });
    });

    it('If-None-Match: *: 304, then the next JSON response carries both messages', async () => {
      const visitor = t.agent();
      await visitor.post('/p5/flash?add=Carried.');
      const res = await visitor.get('/p5/tagged?add=Added.').set('If-None-Match', '*');
      expect(res.status).toBe(304);
      expect(res.text).toBe('');
      const next = await visitor.get('/p5/ping');
      expect(next.body).toEqual({ ok: true, messages: [info('Carried.'), info('Added.')] });
    });

    it('If-None-Match with the ETag of the body without messages: 304 with that ETag, then the next JSON response carries both', async () => {
      const etag = await plainETag();
      const visitor = t.agent();
      await visitor.post('/p5/flash?add=Carried.');
      const res = await visitor.get('/p5/tagged?add=Added.').set('If-None-Match', etag);
      expect(res.status).toBe(304);
      expect(res.headers.etag).toBe(etag);
      expect(res.text).toBe('');
      const next = await visitor.get('/p5/ping');
      expect(next.body).toEqual({ ok: true, messages: [info('Carried.'), info('Added.')] });
    });

    it('a replayed ETag of a body that carried messages gets the full answer: messages are never taken for a 304', async () => {
      const visitor = t.agent();
      await visitor.post('/p5/flash?add=Again.');
      const first = await visitor.get('/p5/tagged');
      expect([first.status, first.body]).toEqual([200, { poll: 2, messages: [info('Again.')] }]);
      await visitor.post('/p5/flash?add=Again.');
      const replay = await visitor.get('/p5/tagged').set('If-None-Match', first.headers.etag as string);
      expect([replay.status, replay.body]).toEqual([200, { poll: 2, messages: [info('Again.')] }]);
      expect((await visitor.get('/p5/ping')).body).toEqual({ ok: true });
    });

    describe('controls', () => {
      it('an unconditional GET delivers the messages with a 200', async () => {
        const visitor = t.agent();
        await visitor.post('/p5/flash?add=Carried.');
        const res = await visitor.get('/p5/dated?add=Added.');
        expect([res.status, res.body]).toEqual([200, { poll: 1, messages: [info('Carried.'), info('Added.')] }]);
        expect((await visitor.get('/p5/ping')).body).toEqual({ ok: true });
      });

      it('a stale If-None-Match gets the 200 with the messages', async () => {
        const visitor = t.agent();
        await visitor.post('/p5/flash?add=Carried.');
        const res = await visitor.get('/p5/tagged').set('If-None-Match', '"stale"');
        expect([res.status, res.body]).toEqual([200, { poll: 2, messages: [info('Carried.')] }]);
      });

      it('without pending messages, the matching ETag gets a 304', async () => {
        const etag = await plainETag();
        const res = await t.agent().get('/p5/tagged').set('If-None-Match', etag);
        expect(res.status).toBe(304);
      });
    });
  });
});
