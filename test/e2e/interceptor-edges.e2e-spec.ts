import { All, Controller, Get, Head, HttpCode, Post, Redirect, Sse } from '@nestjs/common';
import { type Observable, of } from 'rxjs';
import { captureLogs } from '../fixtures/capture-logs.js';
import { Ajax, AjaxResponse, Messages, type RequestMessages } from '../../lib/index.js';
import { EchoMessagesController } from '../fixtures/echo-messages.controller.js';
import { PLATFORMS, startTestApp, type TestApp } from '../fixtures/test-app.js';

@Controller('edges')
@Ajax()
class EdgesController {
  @Get('plain')
  plain(@Messages() messages: RequestMessages): object {
    messages.info('once');
    return { ok: true };
  }

  @Head('head')
  head(@Messages() messages: RequestMessages): object {
    messages.info('added on HEAD');
    return { ok: true };
  }

  @All('no-content')
  @HttpCode(204)
  noContent(@Messages() messages: RequestMessages): object {
    messages.info('added on 204');
    return { ok: true };
  }

  @Get('own-messages-key')
  ownMessagesKey(@Messages() messages: RequestMessages): object {
    messages.info('not mixed with the body\'s own messages');
    return { messages: ['a chat line'] };
  }

  @Get('unprocessable')
  unprocessable(@Messages() messages: RequestMessages): AjaxResponse {
    messages.error('Name is taken.');
    return new AjaxResponse({ field: 'name' }, { success: false, status: 422 });
  }

  @Post('redirect')
  @Redirect('/fallback', 302)
  redirect(@Messages() messages: RequestMessages): { url: string } {
    messages.success('Welcome back.');
    return { url: '/echo' };
  }

  @Sse('events')
  events(@Messages() messages: RequestMessages): Observable<{ data: string }> {
    messages.info('added on an event stream');
    return of({ data: 'tick' });
  }

  @Get('accepted-empty')
  acceptedEmpty(@Messages() messages: RequestMessages): AjaxResponse {
    messages.info('kept for later');
    return new AjaxResponse({}, { status: 204 });
  }
}

describe.each(PLATFORMS)('on %s', (platform) => {
  describe('the interceptor at the edges', () => {
    let t: TestApp;
    const warnings = captureLogs('warn');
    beforeAll(async () => {
      // global: true and @Ajax() together: both apply the interceptor.
      t = await startTestApp({ platform, ajax: { global: true }, controllers: [EdgesController, EchoMessagesController] });
    });
    afterAll(() => t.close());

    it('adds messages once when the interceptor is both global and applied by @Ajax()', async () => {
      const res = await t.http().get('/edges/plain');
      expect(res.body).toEqual({ ok: true, messages: [{ message: 'once', tags: 'info' }] });
      expect(warnings).toEqual([]);
    });

    it('keeps messages pending for a HEAD request, which has no body', async () => {
      const visitor = t.agent();
      const head = await visitor.head('/edges/head');
      expect(head.status).toBe(200);
      const next = await visitor.get('/echo');
      expect(next.body).toEqual({ added: [], messages: [{ message: 'added on HEAD', tags: 'info' }] });
    });

    it('keeps messages pending for a 204 answer', async () => {
      const visitor = t.agent();
      const empty = await visitor.post('/edges/no-content');
      expect(empty.status).toBe(204);
      expect(empty.text).toBe('');
      expect((await visitor.get('/echo')).body.messages).toEqual([{ message: 'added on 204', tags: 'info' }]);
    });

    it('leaves a body with its own "messages" key alone, warns, and delivers later', async () => {
      const visitor = t.agent();
      const res = await visitor.get('/edges/own-messages-key');
      expect(res.body).toEqual({ messages: ['a chat line'] });
      // Warned once per process: by the first platform's app.
      if (platform === PLATFORMS[0]) expect(warnings.some((w) => w.includes('already has a "messages" key'))).toBe(true);
      expect((await visitor.get('/echo')).body.messages).toEqual([{ message: "not mixed with the body's own messages", tags: 'info' }]);
    });

    it('leaves the { url } of a dynamic @Redirect() alone: its messages come with the next JSON response', async () => {
      const visitor = t.agent();
      const res = await visitor.post('/edges/redirect');
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe('/echo');
      expect((await visitor.get('/echo')).body.messages).toEqual([{ message: 'Welcome back.', tags: 'success' }]);
    });

    it('leaves server-sent events alone: their messages come with the next JSON response', async () => {
      const visitor = t.agent();
      if (platform === 'fastify') {
        // Fastify's session plugins set their cookie in onSend, which an event stream (written to the raw response) never
        // reaches: the visitor must have a session already, as one signed in or shown a message before has.
        await visitor.post('/edges/redirect');
        expect((await visitor.get('/echo')).body.messages).toHaveLength(1);
      }
      const res = await visitor.get('/edges/events');
      expect(res.text).toContain('data: tick');
      expect(res.text).not.toContain('messages');
      expect((await visitor.get('/echo')).body.messages).toEqual([{ message: 'added on an event stream', tags: 'info' }]);
    });

    it('sends an AjaxResponse with its own status, as JSON, with its messages', async () => {
      const res = await t.http().get('/edges/unprocessable');
      expect(res.status).toBe(422);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({ field: 'name', success: false, messages: [{ message: 'Name is taken.', tags: 'error' }] });
    });

    it('sends an AjaxResponse with status 204 empty, and keeps its messages pending', async () => {
      const visitor = t.agent();
      const res = await visitor.get('/edges/accepted-empty');
      expect(res.status).toBe(204);
      expect((await visitor.get('/echo')).body.messages).toEqual([{ message: 'kept for later', tags: 'info' }]);
    });
  });
});
