import { Controller, Post, Query, Redirect, Res } from '@nestjs/common';
import type { ServerResponse as NodeResponse } from 'node:http';
import { Messages, type RequestMessages } from '../../lib/index.js';
import { COOKIE_NAME, setCookies, startCookieApp } from '../fixtures/cookie-app.js';
import { EchoMessagesController } from '../fixtures/echo-messages.controller.js';
import { PLATFORMS, type TestApp } from '../fixtures/test-app.js';

/**
 * The cookie storage adds its cookie beside the app's own Set-Cookie however the
 * app set it: on the raw Node response (a Nest middleware on Fastify), or as a
 * constant array of its module, which the cookie must never be added into.
 */

/** Module-level constants, as apps keep fixed cookies: one per platform, so that one run cannot spoil the other's. */
const FIXED: Record<string, string[]> = { express: ['consent=yes; Path=/'], fastify: ['consent=yes; Path=/'] };

@Controller('rc')
class RawCookieController {
  /** The app's cookie set on Node's own response (as a Nest middleware on Fastify does), and a message. */
  @Post('raw')
  @Redirect('/echo', 302)
  raw(@Query('add') add: string | undefined, @Res({ passthrough: true }) res: { raw?: NodeResponse } & NodeResponse, @Messages() messages: RequestMessages): void {
    (res.raw ?? res).setHeader('Set-Cookie', 'theme=dark; Path=/');
    if (add) messages.info(add);
  }

  /** The app's cookies from a constant array, through the reply (Fastify) or Node's response (Express). */
  @Post('fixed')
  @Redirect('/echo', 302)
  fixed(@Query('add') add: string | undefined, @Res({ passthrough: true }) res: { header?(n: string, v: unknown): unknown } & NodeResponse, @Messages() messages: RequestMessages): void {
    if (typeof res.header === 'function' && (res as { raw?: unknown }).raw) res.header('set-cookie', FIXED.fastify);
    else res.setHeader('Set-Cookie', FIXED.express);
    if (add) messages.info(add);
  }
}

describe.each(PLATFORMS)('on %s', (platform) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startCookieApp({ platform, controllers: [RawCookieController, EchoMessagesController] });
  });
  afterAll(() => t.close());

  it('an app cookie set on the raw response survives the messages cookie', async () => {
    const res = await t.http().post('/rc/raw?add=Saved.');
    expect(res.status).toBe(302);
    const names = setCookies(res).map((c) => c.split('=')[0]).sort();
    expect(names).toEqual([COOKIE_NAME, 'theme'].sort());
  });

  it('control: without a message the raw cookie goes out', async () => {
    const res = await t.http().post('/rc/raw');
    expect(setCookies(res).map((c) => c.split('=')[0])).toEqual(['theme']);
  });

  it('the messages cookie does not grow the app\'s constant array, nor reach the next visitor', async () => {
    const first = await t.http().post('/rc/fixed?add=Secret%20of%20visitor%20A.');
    expect(setCookies(first).map((c) => c.split('=')[0]).sort()).toEqual([COOKIE_NAME, 'consent'].sort());
    const second = await t.http().post('/rc/fixed');
    expect(setCookies(second)).toEqual(['consent=yes; Path=/']);
    expect(FIXED[platform]).toEqual(['consent=yes; Path=/']);
  });
});
