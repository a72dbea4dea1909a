import { Controller, Get, Query, Res, UnauthorizedException } from '@nestjs/common';
import type { ServerResponse as NodeResponse } from 'node:http';
import { Ajax, Messages, type RequestMessages } from '../../lib/index.js';
import { PLATFORMS, startTestApp, type TestApp } from '../fixtures/test-app.js';
import { info } from './trust-helpers.js';

/**
 * A route that typed its answer as something other than JSON (an HTML
 * page's `text/html`) never has a visitor's messages read by the browser as
 * that type: an error body after it goes out as JSON, and an object it
 * returns carries no messages, which wait for the next JSON answer. A JSON
 * type of the app's own (`application/vnd.api+json`) is kept, messages and
 * all.
 */

type AnyResponse = { raw?: NodeResponse } & NodeResponse;
/** Node's own response on either platform: where a Nest middleware or the route sets a header. */
const node = (res: AnyResponse): NodeResponse => res.raw ?? res;

@Controller('p14')
class HtmlTypedController {
  @Get('html-error')
  @Ajax()
  htmlError(@Query('add') add: string | undefined, @Messages() messages: RequestMessages, @Res({ passthrough: true }) res: AnyResponse): never {
    node(res).setHeader('Content-Type', 'text/html; charset=utf-8');
    if (add) messages.info(add);
    throw new UnauthorizedException();
  }

  @Get('html-object')
  @Ajax()
  htmlObject(@Query('add') add: string | undefined, @Messages() messages: RequestMessages, @Res({ passthrough: true }) res: AnyResponse): object {
    node(res).setHeader('Content-Type', 'text/html; charset=utf-8');
    if (add) messages.info(add);
    return { ok: true };
  }

  @Get('vnd')
  @Ajax()
  vnd(@Query('add') add: string | undefined, @Messages() messages: RequestMessages, @Res({ passthrough: true }) res: AnyResponse): object {
    node(res).setHeader('Content-Type', 'application/vnd.api+json');
    if (add) messages.info(add);
    return { ok: true };
  }

  @Get('json')
  @Ajax()
  json(): object {
    return { ok: true };
  }
}

describe.each(PLATFORMS)('on %s', (platform) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ platform, controllers: [HtmlTypedController] });
  });
  afterAll(() => t.close());

  it('an error body after the route set text/html goes out as JSON, with the messages', async () => {
    const res = await t.agent().get('/p14/html-error?add=<b>Hi</b>');
    expect([res.status, res.headers['content-type']]).toEqual([401, 'application/json; charset=utf-8']);
    expect(JSON.parse(res.text)).toEqual({ status: 'error', error: 'Unauthorized', messages: [info('<b>Hi</b>')] });
  });

  // Fastify refuses to send an object under a type that is not JSON (its own 500), so this is Express's case.
  if (platform === 'express') {
    it('an object answered as text/html carries no messages; the next JSON answer does', async () => {
      const visitor = t.agent();
      const res = await visitor.get('/p14/html-object?add=<b>Hi</b>');
      expect([res.status, res.headers['content-type']?.split(';')[0], JSON.parse(res.text)]).toEqual([200, 'text/html', { ok: true }]);
      const next = await visitor.get('/p14/json');
      expect(next.body).toEqual({ ok: true, messages: [info('<b>Hi</b>')] });
    });
  }

  it('a JSON type of the app\'s own is kept, with the messages', async () => {
    const res = await t.agent().get('/p14/vnd?add=Hi.');
    expect(res.headers['content-type']?.split(';')[0]).toBe('application/vnd.api+json');
    expect(JSON.parse(res.text)).toEqual({ ok: true, messages: [info('Hi.')] });
  });
});
