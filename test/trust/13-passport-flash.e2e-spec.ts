import { Controller, Get, Next, Post, Query, Req, Res } from '@nestjs/common';
import { RedisStore } from 'connect-redis';
import type { NextFunction, Request, Response } from 'express';
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { Ajax, type AjaxModuleOptions, RedisMessageStorage } from '../../lib/index.js';
import { captureLogs } from '../fixtures/capture-logs.js';
import { type RedisServer, redisTestsRun, startRedisServer } from '../fixtures/redis-server.js';
import { startTestApp, type TestApp } from '../fixtures/test-app.js';
import { INTERNAL } from './trust-helpers.js';
import { connectRedisClient, type RedisClient } from '../fixtures/redis-instance.js';

/**
 * Decision 13: with `flash: true`, passport's own `failureFlash` and
 * `successFlash` (real passport and passport-local, session: true) put their
 * message in the module's messages: a classic log-in form post that fails
 * and redirects shows "Invalid username or password." in the page's next
 * JSON response; one that succeeds shows its success message after the
 * redirect, across the session regenerate of `req.logIn()`. Same with
 * RedisMessageStorage. Without the option, passport finds no `req.flash`.
 */

interface User {
  username: string;
}

/** passport's own Authenticator for this spec, not the process-wide singleton. */
const authenticator = new passport.Passport();
authenticator.use(
  new LocalStrategy((username, password, done) => {
    if (username === 'ada' && password === 'lovelace') done(null, { username }, { message: `Welcome back, ${username}.` });
    else if (username === 'ada') done(null, false, { message: 'Wrong password.' });
    else done(null, false, { message: 'Unknown user.' });
  }),
);
authenticator.serializeUser((user, done) => done(null, (user as User).username));
authenticator.deserializeUser((username: string, done) => done(null, { username }));

/** passport's options as an app gives them: fixed texts, or (`?from=strategy`) the strategy's own messages. */
function loginOptions(from: string | undefined): passport.AuthenticateOptions {
  const fromStrategy = from === 'strategy';
  return {
    failureRedirect: '/p13/form',
    successRedirect: '/p13/me',
    failureFlash: fromStrategy ? true : 'Invalid username or password.',
    successFlash: fromStrategy ? true : 'Signed in.',
  };
}

@Controller('p13')
class LoginController {
  /** The log-in form's post, handled by passport alone: it flashes, logs in (regenerating the session) and redirects. */
  @Post('login')
  login(@Req() req: Request, @Res() res: Response, @Next() next: NextFunction, @Query('from') from: string | undefined): void {
    authenticator.authenticate('local', loginOptions(from))(req, res, next);
  }

  /** The form page's own JSON call, the page's next JSON response after a failed log-in. */
  @Get('form')
  @Ajax()
  form(): { form: true } {
    return { form: true };
  }

  @Get('me')
  @Ajax({ loginRequired: true })
  me(@Req() req: Request): { user: string } {
    return { user: (req.user as User).username };
  }
}

async function startPassportApp(ajax: AjaxModuleOptions, sessionStore?: RedisStore): Promise<TestApp> {
  return startTestApp({
    ajax,
    sessionStore,
    controllers: [LoginController],
    configure: (app) => {
      app.use(authenticator.initialize());
      app.use(authenticator.session());
    },
  });
}

const CREDENTIALS = { username: 'ada', password: 'lovelace' };
const error = (message: string) => ({ message, tags: 'error' });
const success = (message: string) => ({ message, tags: 'success' });

function scenarios(app: () => TestApp): void {
  it('failureFlash: a log-in that fails redirects, and the page\'s next JSON response shows "Invalid username or password."', async () => {
    const visitor = app().agent();
    const login = await visitor.post('/p13/login').type('form').send({ username: 'ada', password: 'babbage' });
    expect([login.status, login.headers.location]).toEqual([302, '/p13/form']);
    const form = await visitor.get('/p13/form');
    expect([form.status, form.body]).toEqual([200, { form: true, messages: [error('Invalid username or password.')] }]);
    expect((await visitor.get('/p13/form')).body).toEqual({ form: true });
  });

  it('successFlash: a log-in that succeeds redirects, and the next JSON response, in the regenerated session, shows its message', async () => {
    const visitor = app().agent();
    const login = await visitor.post('/p13/login').type('form').send(CREDENTIALS);
    expect([login.status, login.headers.location]).toEqual([302, '/p13/me']);
    const me = await visitor.get('/p13/me');
    expect([me.status, me.body]).toEqual([200, { user: 'ada', messages: [success('Signed in.')] }]);
    expect((await visitor.get('/p13/me')).body).toEqual({ user: 'ada' });
  });

  it('failureFlash: true and successFlash: true: the strategy\'s own messages, failures in the order they came', async () => {
    const visitor = app().agent();
    await visitor.post('/p13/login?from=strategy').type('form').send({ username: 'grace', password: 'x' });
    await visitor.post('/p13/login?from=strategy').type('form').send({ username: 'ada', password: 'babbage' });
    expect((await visitor.get('/p13/form')).body).toEqual({ form: true, messages: [error('Unknown user.'), error('Wrong password.')] });
    expect((await visitor.post('/p13/login?from=strategy').type('form').send(CREDENTIALS)).status).toBe(302);
    expect((await visitor.get('/p13/me')).body).toEqual({ user: 'ada', messages: [success('Welcome back, ada.')] });
  });

  it('a failure not yet shown when a later log-in succeeds stays with the old session, as every message from an earlier request does', async () => {
    const visitor = app().agent();
    await visitor.post('/p13/login').type('form').send({ username: 'ada', password: 'babbage' });
    expect((await visitor.post('/p13/login').type('form').send(CREDENTIALS)).status).toBe(302);
    expect((await visitor.get('/p13/me')).body).toEqual({ user: 'ada', messages: [success('Signed in.')] });
  });
}

describe('decision 13: passport\'s failureFlash and successFlash reach JSON responses (session storage)', () => {
  let t: TestApp;
  captureLogs('warn');
  beforeAll(async () => {
    t = await startPassportApp({ flash: true });
  });
  afterAll(() => t.close());
  scenarios(() => t);
});

(redisTestsRun() ? describe : describe.skip)('decision 13: passport\'s failureFlash and successFlash reach JSON responses (RedisMessageStorage)', () => {
  let redis: RedisServer;
  let t: TestApp;
  let client: RedisClient;
  captureLogs('warn');
  beforeAll(async () => {
    redis = await startRedisServer();
    client = await connectRedisClient(redis.url);
    t = await startPassportApp(
      { flash: true, messages: { storage: new RedisMessageStorage(client, { timeoutMs: 1000 }) } },
      new RedisStore({ client, prefix: 'p13-sess:' }),
    );
  });
  afterAll(async () => {
    await t?.close();
    client?.destroy();
    await redis?.dispose();
  });
  scenarios(() => t);
});

describe('decision 13, control: without flash: true', () => {
  let t: TestApp;
  captureLogs('error');
  beforeAll(async () => {
    t = await startPassportApp({ global: true });
  });
  afterAll(() => t.close());

  it('passport\'s failureFlash finds no req.flash: the log-in fails with the JSON 500, as passport without connect-flash does', async () => {
    const login = await t.agent().post('/p13/login').type('form').send({ username: 'ada', password: 'babbage' });
    expect([login.status, login.body]).toEqual([500, INTERNAL]);
  });
});
