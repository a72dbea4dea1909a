import { SpecErrorsController } from '../fixtures/spec-error-fixtures.js';
import { PLATFORMS, startTestApp, type TestApp } from '../fixtures/test-app.js';

const INTERNAL = { status: 'error', error: 'Internal server error' };

describe.each(PLATFORMS)('on %s', (platform) => {
  describe('AjaxExceptionFilter (applied by AjaxModule.forRoot({ global: true }))', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ platform, ajax: { global: true }, controllers: [SpecErrorsController] });
    });
    afterAll(() => t.close());

    it('keeps an HttpException status and adds its message only when it says more than the reason phrase', async () => {
      const bare = await t.http().get('/spec-errors/not-found');
      expect(bare.status).toBe(404);
      expect(bare.headers['content-type']).toMatch(/^application\/json/);
      expect(bare.body).toEqual({ status: 'error', error: 'Not found' });

      const detailed = await t.http().get('/spec-errors/poll-7');
      expect(detailed.status).toBe(404);
      expect(detailed.body).toEqual({ status: 'error', error: 'Not found', message: 'Poll 7 does not exist' });

      const phraseOnly = await t.http().get('/spec-errors/bad-request-phrase');
      expect(phraseOnly.status).toBe(400);
      expect(phraseOnly.body).toEqual({ status: 'error', error: 'Bad request' });

      // A route that does not exist is Nest's own NotFoundException, rendered by the global filter.
      const unknown = await t.http().get('/spec-nowhere');
      expect(unknown.status).toBe(404);
      expect(unknown.body).toEqual({ status: 'error', error: 'Not found', message: 'Cannot GET /spec-nowhere' });
    });

    it("gives ValidationPipe's list of problems as message", async () => {
      const res = await t.http().post('/spec-errors/polls').send({ question: 'a' });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        status: 'error',
        error: 'Bad request',
        message: ['question must be longer than or equal to 3 characters'],
      });

      const valid = await t.http().post('/spec-errors/polls').send({ question: 'Red or blue?' });
      expect(valid.status).toBe(201);
      expect(valid.body).toEqual({ created: 'Red or blue?' });
    });

    it('keeps the 4xx status of errors carrying status or statusCode, and their message only when they expose it', async () => {
      const conflict = await t.http().get('/spec-errors/conflict');
      expect(conflict.status).toBe(409);
      expect(conflict.body).toEqual({ status: 'error', error: 'Conflict' });

      const teapot = await t.http().get('/spec-errors/teapot');
      expect(teapot.status).toBe(418);
      expect(teapot.body).toEqual({ status: 'error', error: "I'm a teapot", message: 'I only brew tea' });

      // body-parser's default JSON limit is 100kb (the test app gives Fastify the same); its error carries status 413,
      // and its message is the platform's own.
      const tooLarge = await t
        .http()
        .post('/spec-errors/polls')
        .set('content-type', 'application/json')
        .send(JSON.stringify({ question: 'x'.repeat(200 * 1024) }));
      expect(tooLarge.status).toBe(413);
      const platformMessage = platform === 'express' ? 'request entity too large' : 'Request body is too large';
      expect(tooLarge.body).toEqual({ status: 'error', error: 'Payload too large', message: platformMessage });
    });

    it('turns an Error, a thrown string and an Error with a 5xx status property into a bare 500 that reveals nothing', async () => {
      const cases = [
        ['/spec-errors/crash', 'hunter2'],
        ['/spec-errors/crash-string', 'abc123'],
        ['/spec-errors/crash-5xx-status', '10.0.0.5'],
      ] as const;
      for (const [path, secret] of cases) {
        const res = await t.http().get(path);
        expect(res.status).toBe(500);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        expect(res.body).toEqual(INTERNAL);
        expect(res.text).not.toContain(secret);
        expect(res.text).not.toMatch(/\bat .*\(.*:\d+:\d+\)/); // no stack frame
      }
    });

    it("delivers this request's pending messages in the error body, and consumes them", async () => {
      const visitor = t.agent();
      const failed = await visitor.get('/spec-errors/fail-with-messages');
      expect(failed.status).toBe(404);
      expect(failed.body).toEqual({
        status: 'error',
        error: 'Not found',
        message: 'Poll 7 does not exist',
        messages: [
          { message: 'Poll list is stale.', tags: 'warning' },
          { message: 'Could not load poll.', tags: 'important error' },
        ],
      });

      const next = await visitor.get('/spec-errors/ping');
      expect(next.status).toBe(200);
      expect(next.body).toEqual({ ok: true });
    });

    it('delivers messages carried in the session from an earlier request in a 500 body, without any message of the error', async () => {
      const visitor = t.agent();
      const flash = await visitor.post('/spec-errors/flash');
      expect(flash.status).toBe(302);

      const crashed = await visitor.get('/spec-errors/crash-with-messages');
      expect(crashed.status).toBe(500);
      expect(crashed.body).toEqual({
        ...INTERNAL,
        messages: [
          { message: 'Saved before the redirect.', tags: 'success' },
          { message: 'Started saving.', tags: 'info' },
        ],
      });
      expect(crashed.text).not.toContain('users_pkey');

      const next = await visitor.get('/spec-errors/ping');
      expect(next.body).toEqual({ ok: true });
    });
  });
});
