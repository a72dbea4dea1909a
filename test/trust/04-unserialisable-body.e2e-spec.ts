import { All, Controller, Get, Post, Query, Redirect, UseInterceptors } from '@nestjs/common';
import { Ajax, AjaxMessagesInterceptor, Messages, type RequestMessages } from '../../lib/index.js';
import { captureLogs } from '../fixtures/capture-logs.js';
import { PLATFORMS, startTestApp, type TestApp } from '../fixtures/test-app.js';
import { info, INTERNAL, JSON_TYPE } from './trust-helpers.js';

/**
 * Decision 4: a body that cannot be serialised (a plain object holding a
 * BigInt, a plain object whose own toJSON throws) answers a 500 JSON through
 * the filter whose `messages` carry every pending message, oldest first: the
 * one carried from an earlier redirect, then the one added on this request.
 * Without the module's filter (only AjaxMessagesInterceptor, Nest's own
 * filter) the messages stay pending for the next JSON response.
 */

function unserialisable(kind: string): Record<string, unknown> {
  if (kind === 'bigint') return { votes: 1n };
  return {
    votes: 1,
    toJSON(): never {
      throw new Error('toJSON boom');
    },
  };
}

function addAll(messages: RequestMessages, add: string | undefined): void {
  for (const text of add ? add.split(',') : []) messages.info(text);
}

@Controller('p4')
class AjaxBodyController {
  @Get('bigint')
  @Ajax()
  bigint(@Query('add') add: string | undefined, @Messages() messages: RequestMessages): Record<string, unknown> {
    addAll(messages, add);
    return unserialisable('bigint');
  }

  @Get('tojson')
  @Ajax()
  toJson(@Query('add') add: string | undefined, @Messages() messages: RequestMessages): Record<string, unknown> {
    addAll(messages, add);
    return unserialisable('tojson');
  }

  @Post('flash')
  @Redirect('/p4/ping', 302)
  flash(@Query('add') add: string | undefined, @Messages() messages: RequestMessages): void {
    addAll(messages, add);
  }

  @All('ping')
  @Ajax()
  ping(): { ok: true } {
    return { ok: true };
  }
}

/** The same routes with AjaxMessagesInterceptor only: no module filter anywhere. */
@Controller('p4i')
@UseInterceptors(AjaxMessagesInterceptor)
class InterceptorOnlyController {
  @Get('bigint')
  bigint(@Query('add') add: string | undefined, @Messages() messages: RequestMessages): Record<string, unknown> {
    addAll(messages, add);
    return unserialisable('bigint');
  }

  @Get('tojson')
  toJson(@Query('add') add: string | undefined, @Messages() messages: RequestMessages): Record<string, unknown> {
    addAll(messages, add);
    return unserialisable('tojson');
  }

  @Post('flash')
  @Redirect('/p4i/ping', 302)
  flash(@Query('add') add: string | undefined, @Messages() messages: RequestMessages): void {
    addAll(messages, add);
  }

  @All('ping')
  ping(): { ok: true } {
    return { ok: true };
  }
}

describe.each(PLATFORMS)('on %s', (platform) => {
  describe.each([
    ['the global filter', true],
    ["@Ajax()'s own filter", false],
  ])('decision 4: an unserialisable body, through %s', (_name, global) => {
    let t: TestApp;
    captureLogs('error');
    beforeAll(async () => {
      t = await startTestApp({ platform, ajax: { global }, controllers: [AjaxBodyController] });
    });
    afterAll(() => t.close());

    it.each(['bigint', 'tojson'])('%s: 500 JSON carrying the message from the redirect, then this request\'s; nothing left behind', async (kind) => {
      const visitor = t.agent();
      expect((await visitor.post('/p4/flash?add=Carried.')).status).toBe(302);
      const res = await visitor.get(`/p4/${kind}?add=Added.`);
      expect(res.status).toBe(500);
      expect(res.headers['content-type']).toBe(JSON_TYPE);
      expect(res.body).toEqual({ ...INTERNAL, messages: [info('Carried.'), info('Added.')] });
      // Delivered once: the next JSON response has none.
      const next = await visitor.get('/p4/ping');
      expect([next.status, next.body]).toEqual([200, { ok: true }]);
    });
  });

  describe('decision 4: an unserialisable body without the module\'s filter (only AjaxMessagesInterceptor)', () => {
    let t: TestApp;
    captureLogs('error');
    beforeAll(async () => {
      t = await startTestApp({ platform, ajax: {}, controllers: [InterceptorOnlyController] });
    });
    afterAll(() => t.close());

    it.each(['bigint', 'tojson'])('%s: Nest answers its 500, and both messages stay pending for the next JSON response, in order', async (kind) => {
      const visitor = t.agent();
      expect((await visitor.post('/p4i/flash?add=Carried.')).status).toBe(302);
      const res = await visitor.get(`/p4i/${kind}?add=Added.`);
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ statusCode: 500, message: 'Internal server error' });
      const next = await visitor.get('/p4i/ping');
      expect([next.status, next.body]).toEqual([200, { ok: true, messages: [info('Carried.'), info('Added.')] }]);
      const after = await visitor.get('/p4i/ping');
      expect(after.body).toEqual({ ok: true });
    });
  });
});
