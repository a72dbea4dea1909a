import { All, Controller, Get, Header, NotFoundException, Post, Query, Redirect, Res, UseInterceptors } from '@nestjs/common';
import type { ServerResponse as NodeResponse } from 'node:http';
import { Ajax, AjaxMessagesInterceptor, Messages, type RequestMessages } from '../../lib/index.js';
import { captureLogs } from '../fixtures/capture-logs.js';
import { PLATFORMS, startTestApp, type TestApp } from '../fixtures/test-app.js';
import { info, JSON_TYPE } from './trust-helpers.js';

/**
 * Decision 2: a response whose body carries messages gets
 * `Cache-Control: private, no-store`, replacing whatever the app set; one
 * without messages keeps the app's own Cache-Control, and no Vary is added.
 * Same for error bodies that carry messages.
 */

const SHARED = 'public, max-age=600';

function addAll(messages: RequestMessages, add: string | undefined): string[] {
  const texts = add ? add.split(',') : [];
  for (const text of texts) messages.info(text);
  return texts;
}

@Controller('p2')
class CachedController {
  /** An @Ajax() JSON route the app marks as cacheable by anyone. */
  @Get('ajax')
  @Ajax()
  @Header('Cache-Control', SHARED)
  viaAjax(@Query('add') add: string | undefined, @Messages() messages: RequestMessages): { added: string[] } {
    return { added: addAll(messages, add) };
  }

  /** The same, through AjaxMessagesInterceptor rather than @Ajax(). */
  @Get('interceptor')
  @UseInterceptors(AjaxMessagesInterceptor)
  @Header('Cache-Control', SHARED)
  viaInterceptor(@Query('add') add: string | undefined, @Messages() messages: RequestMessages): { added: string[] } {
    return { added: addAll(messages, add) };
  }

  /** Cacheable by anyone, CDNs told so by their own headers too. */
  @Get('cdn')
  @Ajax()
  @Header('Cache-Control', SHARED)
  @Header('Surrogate-Control', 'max-age=600')
  @Header('CDN-Cache-Control', 'max-age=600')
  cdn(@Query('add') add: string | undefined, @Messages() messages: RequestMessages): { added: string[] } {
    return { added: addAll(messages, add) };
  }

  /** CDN headers set on Node's own response, which a Fastify reply keeps apart from its own until it sends. */
  @Get('cdn-raw')
  @Ajax()
  cdnRaw(@Query('add') add: string | undefined, @Messages() messages: RequestMessages, @Res({ passthrough: true }) res: { raw?: NodeResponse } & NodeResponse): { added: string[] } {
    const node = res.raw ?? res;
    node.setHeader('Akamai-Cache-Control', 'max-age=600');
    node.setHeader('Vercel-CDN-Cache-Control', 'max-age=600');
    return { added: addAll(messages, add) };
  }

  /** No Cache-Control of the app's own. */
  @Get('plain')
  @Ajax()
  plain(@Query('add') add: string | undefined, @Messages() messages: RequestMessages): { added: string[] } {
    return { added: addAll(messages, add) };
  }

  /** An error after the app set Cache-Control. */
  @Get('missing')
  @Ajax()
  @Header('Cache-Control', SHARED)
  missing(@Query('add') add: string | undefined, @Messages() messages: RequestMessages): never {
    addAll(messages, add);
    throw new NotFoundException('Poll 7 does not exist');
  }

  @Post('flash')
  @Redirect('/p2/ajax', 302)
  flash(@Query('add') add: string | undefined, @Messages() messages: RequestMessages): void {
    addAll(messages, add);
  }

  @All('ping')
  @Ajax()
  ping(): { ok: true } {
    return { ok: true };
  }
}

describe.each(PLATFORMS)('on %s', (platform) => {
  describe('decision 2: responses that carry messages are private and not stored', () => {
    let t: TestApp;
    captureLogs('warn');
    beforeAll(async () => {
      t = await startTestApp({ platform, ajax: { global: true }, controllers: [CachedController] });
    });
    afterAll(() => t.close());

    it.each(['/p2/ajax', '/p2/interceptor'])('%s: messages added on this request replace the app\'s public Cache-Control', async (path) => {
      const res = await t.agent().get(`${path}?add=Saved.`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ added: ['Saved.'], messages: [info('Saved.')] });
      expect(res.headers['cache-control']).toBe('private, no-store');
    });

    it('a message carried from a redirect replaces the app\'s public Cache-Control on the next JSON response', async () => {
      const visitor = t.agent();
      expect((await visitor.post('/p2/flash?add=Carried.')).status).toBe(302);
      const res = await visitor.get('/p2/ajax');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ added: [], messages: [info('Carried.')] });
      expect(res.headers['cache-control']).toBe('private, no-store');
    });

    it('a route without Cache-Control of its own gets private, no-store when it carries messages', async () => {
      const res = await t.agent().get('/p2/plain?add=Hello.');
      expect(res.body).toEqual({ added: ['Hello.'], messages: [info('Hello.')] });
      expect(res.headers['cache-control']).toBe('private, no-store');
    });

    it('an error body that carries messages is private, no-store too', async () => {
      const res = await t.agent().get('/p2/missing?add=Before%20the%20error.');
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toBe(JSON_TYPE);
      expect(res.body).toEqual({ status: 'error', error: 'Not found', message: 'Poll 7 does not exist', messages: [info('Before the error.')] });
      expect(res.headers['cache-control']).toBe('private, no-store');
    });

    it('an unknown route (the browser\'s own /favicon.ico) carries no message and leaves them for the next JSON answer', async () => {
      const visitor = t.agent();
      await visitor.post('/p2/flash?add=Carried%20past%20a%20404.');
      const res = await visitor.get('/favicon.ico');
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ status: 'error', error: 'Not found', message: 'Cannot GET /favicon.ico' });
      expect(res.headers['cache-control']).toBeUndefined();
      const next = await visitor.get('/p2/missing');
      expect(next.body).toEqual({ status: 'error', error: 'Not found', message: 'Poll 7 does not exist', messages: [info('Carried past a 404.')] });
      expect(next.headers['cache-control']).toBe('private, no-store');
    });

    it('the headers CDNs obey over Cache-Control go from a response that carries messages', async () => {
      const res = await t.agent().get('/p2/cdn?add=Hello.');
      expect(res.body).toEqual({ added: ['Hello.'], messages: [info('Hello.')] });
      expect([res.headers['cache-control'], res.headers['surrogate-control'], res.headers['cdn-cache-control']]).toEqual(['private, no-store', undefined, undefined]);
      const quiet = await t.agent().get('/p2/cdn');
      expect([quiet.headers['cache-control'], quiet.headers['surrogate-control'], quiet.headers['cdn-cache-control']]).toEqual(['public, max-age=600', 'max-age=600', 'max-age=600']);
    });

    it('those set on the raw Node response go too', async () => {
      const res = await t.agent().get('/p2/cdn-raw?add=Hello.');
      expect(res.body).toEqual({ added: ['Hello.'], messages: [info('Hello.')] });
      expect([res.headers['cache-control'], res.headers['akamai-cache-control'], res.headers['vercel-cdn-cache-control']]).toEqual(['private, no-store', undefined, undefined]);
      const quiet = await t.agent().get('/p2/cdn-raw');
      expect([quiet.headers['akamai-cache-control'], quiet.headers['vercel-cdn-cache-control']]).toEqual(['max-age=600', 'max-age=600']);
    });

    describe('without messages (controls)', () => {
      it('keeps the app\'s own Cache-Control and adds no Vary', async () => {
        for (const path of ['/p2/ajax', '/p2/interceptor']) {
          const res = await t.agent().get(path);
          expect([path, res.status, res.body, res.headers['cache-control'], res.headers.vary]).toEqual([path, 200, { added: [] }, SHARED, undefined]);
        }
      });

      it('adds no Cache-Control where the app set none', async () => {
        const res = await t.agent().get('/p2/plain');
        expect(res.body).toEqual({ added: [] });
        expect(res.headers['cache-control']).toBeUndefined();
        expect(res.headers.vary).toBeUndefined();
      });

      it('keeps the app\'s Cache-Control on an error body without messages', async () => {
        const res = await t.agent().get('/p2/missing');
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ status: 'error', error: 'Not found', message: 'Poll 7 does not exist' });
        expect(res.headers['cache-control']).toBe(SHARED);
        expect(res.headers.vary).toBeUndefined();
      });

      it('after the messages went, the same visitor\'s next response is the app\'s again', async () => {
        const visitor = t.agent();
        const first = await visitor.get('/p2/ajax?add=Once.');
        expect(first.body.messages).toEqual([info('Once.')]);
        const second = await visitor.get('/p2/ajax');
        expect(second.body).toEqual({ added: [] });
        expect(second.headers['cache-control']).toBe(SHARED);
      });
    });
  });
});
