import { setTimeout as delay } from 'node:timers/promises';
import type { AjaxRequest } from '../../lib/index.js';
import {
  SpecAjaxController,
  SpecClassMethodsController,
  SpecGuardedController,
  SpecMethodsController,
  SpecOpenController,
  SpecSessionController,
} from '../fixtures/spec-auth-fixtures.js';
import { PLATFORMS, startTestApp, type TestApp } from '../fixtures/test-app.js';

const UNAUTHORIZED = { status: 'error', error: 'Unauthorized' };
const METHOD_NOT_ALLOWED = { status: 'error', error: 'Method not allowed' };

async function signedInAgent(t: TestApp, loginPath = '/spec-session/login') {
  const agent = t.agent();
  const login = await agent.post(loginPath);
  expect(login.status).toBe(200);
  expect(login.body).toEqual({ signedIn: true });
  return agent;
}

describe.each(PLATFORMS)('on %s', (platform) => {
  describe('AjaxAuthGuard (global filter, default isAuthenticated)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ platform,
        ajax: { global: true },
        controllers: [SpecSessionController, SpecGuardedController, SpecOpenController],
        // A stand-in for passport: requests that carry x-passport get req.isAuthenticated().
        eachRequest(req) {
          const passport = req.headers['x-passport'];
          if (passport !== undefined) req.isAuthenticated = () => passport === 'in';
        },
      });
    });
    afterAll(() => t.close());

    it('answers an anonymous visitor 401 with the exact JSON body, never a redirect, and lets a signed-in one through', async () => {
      const anonymous = await t.http().get('/spec-guarded/private');
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers['content-type']).toMatch(/^application\/json/);
      expect(anonymous.headers.location).toBeUndefined();
      expect(anonymous.body).toEqual(UNAUTHORIZED);

      const visitor = await signedInAgent(t);
      const signedIn = await visitor.get('/spec-guarded/private');
      expect(signedIn.status).toBe(200);
      expect(signedIn.body).toEqual({ secret: 42 });
    });

    it('lets anonymous visitors through @AllowAnonymous() on a method and on a class', async () => {
      const method = await t.http().get('/spec-guarded/public');
      expect(method.status).toBe(200);
      expect(method.body).toEqual({ open: 'method' });

      // The sibling handler without the decorator is still guarded.
      const sibling = await t.http().get('/spec-guarded/private');
      expect(sibling.status).toBe(401);
      expect(sibling.body).toEqual(UNAUTHORIZED);

      const wholeClass = await t.http().get('/spec-open');
      expect(wholeClass.status).toBe(200);
      expect(wholeClass.body).toEqual({ open: 'class' });

      const both = await t.http().get('/spec-open/again');
      expect(both.status).toBe(200);
      expect(both.body).toEqual({ open: 'class+method' });
    });

    it('by default asks req.isAuthenticated() when it exists, and req.user otherwise', async () => {
      // req.user is set by the session, but passport says "not signed in": passport wins.
      const visitor = await signedInAgent(t);
      const passportOut = await visitor.get('/spec-guarded/private').set('x-passport', 'out');
      expect(passportOut.status).toBe(401);
      expect(passportOut.body).toEqual(UNAUTHORIZED);

      // No req.user at all, but passport says "signed in".
      const passportIn = await t.http().get('/spec-guarded/private').set('x-passport', 'in');
      expect(passportIn.status).toBe(200);
      expect(passportIn.body).toEqual({ secret: 42 });

      // Without isAuthenticated(), req.user decides.
      const byUser = await visitor.get('/spec-guarded/private');
      expect(byUser.status).toBe(200);
      expect(byUser.body).toEqual({ secret: 42 });
    });
  });

  describe.each([
    ['a synchronous', (req: AjaxRequest) => req.headers['x-api-key'] === 'open-sesame'],
    [
      'an asynchronous',
      async (req: AjaxRequest) => {
        await delay(15);
        return req.headers['x-api-key'] === 'open-sesame';
      },
    ],
  ])('AjaxAuthGuard with %s isAuthenticated option', (_kind, isAuthenticated) => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ platform, ajax: { global: true, isAuthenticated }, controllers: [SpecSessionController, SpecGuardedController] });
    });
    afterAll(() => t.close());

    it('decides alone who is signed in', async () => {
      const withKey = await t.http().get('/spec-guarded/private').set('x-api-key', 'open-sesame');
      expect(withKey.status).toBe(200);
      expect(withKey.body).toEqual({ secret: 42 });

      const wrongKey = await t.http().get('/spec-guarded/private').set('x-api-key', 'nope');
      expect(wrongKey.status).toBe(401);
      expect(wrongKey.body).toEqual(UNAUTHORIZED);

      // req.user is set, but the option replaces the default check.
      const visitor = await signedInAgent(t);
      const sessionOnly = await visitor.get('/spec-guarded/private');
      expect(sessionOnly.status).toBe(401);
      expect(sessionOnly.headers.location).toBeUndefined();
      expect(sessionOnly.body).toEqual(UNAUTHORIZED);
    });
  });

  describe('AjaxMethodGuard (global filter)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ platform, ajax: { global: true }, controllers: [SpecMethodsController, SpecClassMethodsController] });
    });
    afterAll(() => t.close());

    it('@RequirePost() answers 405 + Allow: POST to other methods; @RequireGet() accepts GET and HEAD, Allow: GET, HEAD', async () => {
      const post = await t.http().post('/spec-methods/post-only');
      expect(post.status).toBe(200);
      expect(post.body).toEqual({ accepted: 'post-only' });

      for (const method of ['get', 'delete', 'put'] as const) {
        const refused = await t.http()[method]('/spec-methods/post-only');
        expect(refused.status).toBe(405);
        expect(refused.headers.allow).toBe('POST');
        expect(refused.body).toEqual(METHOD_NOT_ALLOWED);
      }

      const headOnPost = await t.http().head('/spec-methods/post-only');
      expect(headOnPost.status).toBe(405);
      expect(headOnPost.headers.allow).toBe('POST');

      // @RequireGet(): GET and HEAD pass, POST is 405 with Allow: GET, HEAD.
      const get = await t.http().get('/spec-methods/get-only');
      expect(get.status).toBe(200);
      expect(get.body).toEqual({ accepted: 'get-only' });

      const head = await t.http().head('/spec-methods/get-only');
      expect(head.status).toBe(200);
      expect(head.headers.allow).toBeUndefined();

      const postOnGet = await t.http().post('/spec-methods/get-only');
      expect(postOnGet.status).toBe(405);
      expect(postOnGet.headers.allow).toBe('GET, HEAD');
      expect(postOnGet.body).toEqual(METHOD_NOT_ALLOWED);
    });

    it("@AllowMethods('PUT', 'PATCH') accepts exactly those; a route without a declaration accepts every method", async () => {
      for (const method of ['put', 'patch'] as const) {
        const ok = await t.http()[method]('/spec-methods/put-patch');
        expect(ok.status).toBe(200);
        expect(ok.body).toEqual({ accepted: 'put-patch' });
      }
      for (const method of ['get', 'post', 'delete'] as const) {
        const refused = await t.http()[method]('/spec-methods/put-patch');
        expect(refused.status).toBe(405);
        expect(refused.headers.allow).toBe('PUT, PATCH');
        expect(refused.body).toEqual(METHOD_NOT_ALLOWED);
      }

      for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
        const any = await t.http()[method]('/spec-methods/anything');
        expect(any.status).toBe(200);
        expect(any.body).toEqual({ accepted: 'anything' });
      }
    });

    it("a handler's declaration beats its controller's", async () => {
      const inheritedGet = await t.http().get('/spec-class-methods/inherited');
      expect(inheritedGet.status).toBe(405);
      expect(inheritedGet.headers.allow).toBe('POST');
      expect(inheritedGet.body).toEqual(METHOD_NOT_ALLOWED);
      const inheritedPost = await t.http().post('/spec-class-methods/inherited');
      expect(inheritedPost.status).toBe(200);
      expect(inheritedPost.body).toEqual({ accepted: 'class-post' });

      const overriddenPost = await t.http().post('/spec-class-methods/overridden');
      expect(overriddenPost.status).toBe(405);
      expect(overriddenPost.headers.allow).toBe('PUT, PATCH');
      expect(overriddenPost.body).toEqual(METHOD_NOT_ALLOWED);
      const overriddenPatch = await t.http().patch('/spec-class-methods/overridden');
      expect(overriddenPatch.status).toBe(200);
      expect(overriddenPatch.body).toEqual({ accepted: 'method-put-patch' });
    });
  });

  describe('@Ajax() in an app without the global filter', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ platform, ajax: {}, controllers: [SpecAjaxController] });
    });
    afterAll(() => t.close());

    it('checks login before the method: anonymous gets 401 whatever the method, signed-in gets 405 then 200', async () => {
      for (const method of ['get', 'post', 'delete'] as const) {
        const anonymous = await t.http()[method]('/spec-ajax/vote');
        expect(anonymous.status).toBe(401);
        expect(anonymous.headers.location).toBeUndefined();
        expect(anonymous.body).toEqual(UNAUTHORIZED);
      }

      const visitor = await signedInAgent(t, '/spec-ajax/login');
      const wrongMethod = await visitor.get('/spec-ajax/vote');
      expect(wrongMethod.status).toBe(405);
      expect(wrongMethod.headers.allow).toBe('POST');
      expect(wrongMethod.body).toEqual(METHOD_NOT_ALLOWED);

      const vote = await visitor.post('/spec-ajax/vote');
      expect(vote.status).toBe(200);
      expect(vote.body).toEqual({ voted: true });
    });

    it('requireGet accepts HEAD, refuses POST with Allow: GET, HEAD; HEAD works on a plain @Get() route', async () => {
      const get = await t.http().get('/spec-ajax/results');
      expect(get.status).toBe(200);
      expect(get.body).toEqual({ results: [3, 1] });

      const head = await t.http().head('/spec-ajax/results');
      expect(head.status).toBe(200);

      const post = await t.http().post('/spec-ajax/results');
      expect(post.status).toBe(405);
      expect(post.headers.allow).toBe('GET, HEAD');
      expect(post.body).toEqual(METHOD_NOT_ALLOWED);

      const summaryHead = await t.http().head('/spec-ajax/summary');
      expect(summaryHead.status).toBe(200);
      const summary = await t.http().get('/spec-ajax/summary');
      expect(summary.body).toEqual({ summary: 'two polls' });
    });
  });
});
