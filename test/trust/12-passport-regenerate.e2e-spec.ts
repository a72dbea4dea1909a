import { All, Controller, Get, Post, Query, Redirect, Req, Res, UnauthorizedException } from '@nestjs/common';
import { RedisStore } from 'connect-redis';
import type { Request, Response } from 'express';
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { Ajax, type AjaxModuleOptions, Messages, RedisMessageStorage, type RequestMessages } from '../../lib/index.js';
import { captureLogs } from '../fixtures/capture-logs.js';
import { type RedisServer, redisTestsRun, startRedisServer } from '../fixtures/redis-server.js';
import { startTestApp, type TestApp } from '../fixtures/test-app.js';
import { info } from './trust-helpers.js';
import { connectRedisClient, type RedisClient } from '../fixtures/redis-instance.js';

/**
 * Decision 12: with real passport + passport-local (session: true), a message
 * added before req.login() (which regenerates the session) is delivered by
 * the next JSON response after the log-in redirect, and so with plain
 * req.session.regenerate(). Messages pending from earlier requests stay with
 * the old session: passport's req.logout() regenerates too, and a signed-out
 * user's messages must never reach whoever signs in next at that browser.
 * Same with RedisMessageStorage.
 */

interface User {
  username: string;
}

/** passport's own Authenticator for this spec, not the process-wide singleton. */
const authenticator = new passport.Passport();
authenticator.use(
  new LocalStrategy((username, password, done) => {
    if (username === 'ada' && password === 'lovelace') done(null, { username });
    else done(null, false);
  }),
);
authenticator.serializeUser((user, done) => done(null, (user as User).username));
authenticator.deserializeUser((username: string, done) => done(null, { username }));

function addAll(messages: RequestMessages, add: string | undefined): void {
  for (const text of add ? add.split(',') : []) messages.info(text);
}

@Controller('p12')
class AccountController {
  /** A classic log-in form post: passport-local checks it, req.logIn() regenerates the session, then a redirect. */
  @Post('login')
  @Redirect('/p12/me', 302)
  async login(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @Query('before') before: string | undefined,
    @Query('after') after: string | undefined,
    @Messages() messages: RequestMessages,
  ): Promise<void> {
    addAll(messages, before);
    await new Promise<void>((resolve, reject) => {
      authenticator.authenticate('local', (error: unknown, user: User | false) => {
        if (error) return reject(error);
        if (!user) return reject(new UnauthorizedException());
        req.logIn(user, (loginError: unknown) => (loginError ? reject(loginError) : resolve()));
      })(req, res, reject);
    });
    addAll(messages, after);
  }

  /** passport's log-out, which regenerates the session too. */
  @Post('logout')
  @Redirect('/p12/ping', 302)
  async logout(@Req() req: Request): Promise<void> {
    await new Promise<void>((resolve, reject) => req.logout((error: unknown) => (error ? reject(error) : resolve())));
  }

  /** Plain req.session.regenerate(), as an app does on a change of privilege. */
  @Post('regenerate')
  @Redirect('/p12/ping', 302)
  async regenerate(@Req() req: Request, @Query('before') before: string | undefined, @Messages() messages: RequestMessages): Promise<void> {
    addAll(messages, before);
    await new Promise<void>((resolve, reject) => req.session.regenerate((error: unknown) => (error ? reject(error) : resolve())));
  }

  @Post('flash')
  @Redirect('/p12/ping', 302)
  flash(@Query('add') add: string | undefined, @Messages() messages: RequestMessages): void {
    addAll(messages, add);
  }

  @Get('me')
  @Ajax({ loginRequired: true })
  me(@Req() req: Request): { user: string } {
    return { user: (req.user as User).username };
  }

  @All('ping')
  @Ajax()
  ping(): { ok: true } {
    return { ok: true };
  }
}

async function startPassportApp(ajax: AjaxModuleOptions, sessionStore?: RedisStore): Promise<TestApp> {
  return startTestApp({
    ajax,
    sessionStore,
    controllers: [AccountController],
    configure: (app) => {
      app.use(authenticator.initialize());
      app.use(authenticator.session());
    },
  });
}

const CREDENTIALS = { username: 'ada', password: 'lovelace' };

function scenarios(app: () => TestApp): void {
  it('a message added before req.login() is delivered by the next JSON response after the log-in redirect', async () => {
    const visitor = app().agent();
    const login = await visitor.post('/p12/login?before=Signing%20you%20in.').type('form').send(CREDENTIALS);
    expect([login.status, login.headers.location]).toEqual([302, '/p12/me']);
    const me = await visitor.get('/p12/me');
    expect([me.status, me.body]).toEqual([200, { user: 'ada', messages: [info('Signing you in.')] }]);
    expect((await visitor.get('/p12/me')).body).toEqual({ user: 'ada' });
  });

  it('a message pending from an earlier request stays with the old session at log-in', async () => {
    const visitor = app().agent();
    expect((await visitor.post('/p12/flash?add=Please%20sign%20in%20to%20vote.')).status).toBe(302);
    expect((await visitor.post('/p12/login').type('form').send(CREDENTIALS)).status).toBe(302);
    const me = await visitor.get('/p12/me');
    expect([me.status, me.body]).toEqual([200, { user: 'ada' }]);
  });

  it('added before req.login(), then added after: both, oldest first; an earlier one is not carried', async () => {
    const visitor = app().agent();
    await visitor.post('/p12/flash?add=Earlier.');
    expect((await visitor.post('/p12/login?before=Before.&after=After.').type('form').send(CREDENTIALS)).status).toBe(302);
    const me = await visitor.get('/p12/me');
    expect(me.body).toEqual({ user: 'ada', messages: [info('Before.'), info('After.')] });
  });

  it('plain req.session.regenerate(): the message added before it is delivered next, an earlier one is not', async () => {
    const visitor = app().agent();
    await visitor.post('/p12/flash?add=Earlier.');
    const regenerated = await visitor.post('/p12/regenerate?before=Before.');
    expect([regenerated.status, regenerated.headers.location]).toEqual([302, '/p12/ping']);
    const next = await visitor.get('/p12/ping');
    expect(next.body).toEqual({ ok: true, messages: [info('Before.')] });
    expect((await visitor.get('/p12/ping')).body).toEqual({ ok: true });
  });

  it('log-out: the signed-out user\'s pending messages never reach whoever signs in next at that browser', async () => {
    const browser = app().agent();
    expect((await browser.post('/p12/login').type('form').send(CREDENTIALS)).status).toBe(302);
    expect((await browser.post('/p12/flash?add=ada%3A%20card%204242%20charged.')).status).toBe(302);
    expect((await browser.post('/p12/logout')).status).toBe(302);
    expect((await browser.post('/p12/login').type('form').send(CREDENTIALS)).status).toBe(302);
    expect((await browser.get('/p12/me')).body).toEqual({ user: 'ada' });
    expect((await browser.get('/p12/ping')).body).toEqual({ ok: true });
  });

  it('control: a message added after req.login() is delivered', async () => {
    const visitor = app().agent();
    expect((await visitor.post('/p12/login?after=Welcome%20back%20ada.').type('form').send(CREDENTIALS)).status).toBe(302);
    expect((await visitor.get('/p12/me')).body).toEqual({ user: 'ada', messages: [info('Welcome back ada.')] });
  });

  it('control: wrong password is a 401 JSON body, anonymous /me a 401', async () => {
    const visitor = app().agent();
    const wrong = await visitor.post('/p12/login').type('form').send({ username: 'ada', password: 'babbage' });
    expect([wrong.status, wrong.body]).toEqual([401, { status: 'error', error: 'Unauthorized' }]);
    expect((await visitor.get('/p12/me')).status).toBe(401);
  });
}

describe('decision 12: messages survive passport\'s session regeneration (session storage)', () => {
  let t: TestApp;
  captureLogs('warn');
  beforeAll(async () => {
    t = await startPassportApp({ global: true });
  });
  afterAll(() => t.close());
  scenarios(() => t);
});

(redisTestsRun() ? describe : describe.skip)('decision 12: messages survive passport\'s session regeneration (RedisMessageStorage)', () => {
  let redis: RedisServer;
  let t: TestApp;
  let client: RedisClient;
  captureLogs('warn');
  beforeAll(async () => {
    redis = await startRedisServer();
    client = await connectRedisClient(redis.url);
    t = await startPassportApp(
      { global: true, messages: { storage: new RedisMessageStorage(client, { timeoutMs: 1000 }) } },
      new RedisStore({ client, prefix: 'p12-sess:' }),
    );
  });
  afterAll(async () => {
    await t?.close();
    client?.destroy();
    await redis?.dispose();
  });
  scenarios(() => t);
});
