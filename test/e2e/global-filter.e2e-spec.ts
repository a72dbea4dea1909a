import { captureLogs } from '../fixtures/capture-logs.js';
import { ErrorsController } from '../fixtures/errors.controller.js';
import { PLATFORMS, startTestApp, type TestApp } from '../fixtures/test-app.js';

describe.each(PLATFORMS)('on %s', (platform) => {
  describe('AjaxModule.forRoot({ global: true }): every failure is JSON', () => {
    let t: TestApp;
    const logged = captureLogs('error');
    beforeAll(async () => {
      t = await startTestApp({ platform, ajax: { global: true }, controllers: [ErrorsController] });
    });
    afterAll(() => t.close());

    it('answers an unknown route with 404 JSON', async () => {
      const res = await t.http().get('/no/such/route');
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({ status: 'error', error: 'Not found', message: 'Cannot GET /no/such/route' });
    });

    it('answers malformed JSON with 400 JSON', async () => {
      const res = await t.http().post('/errors/echo').set('Content-Type', 'application/json').send('{"choice": ');
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body.status).toBe('error');
      expect(res.body.error).toBe('Bad request');
      expect(JSON.stringify(res.body)).not.toMatch(/\bat \S+:\d+/);
    });

    it('answers a body over the limit with 413 JSON', async () => {
      const res = await t
        .http()
        .post('/errors/echo')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ text: 'x'.repeat(200 * 1024) }));
      expect(res.status).toBe(413);
      expect(res.body).toMatchObject({ status: 'error', error: 'Payload too large' });
    });

    it('keeps the message of an HttpException that says more than its phrase', async () => {
      const res = await t.http().get('/errors/not-found');
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ status: 'error', error: 'Not found', message: 'Poll 7 does not exist' });
    });

    it('keeps a list of messages, as ValidationPipe gives them', async () => {
      const res = await t.http().get('/errors/list');
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ status: 'error', error: 'Bad request', message: ['name must be a string', 'age must be a number'] });
    });

    it('turns an unexpected error into a bare 500, logs its stack, and still delivers pending messages', async () => {
      const res = await t.http().get('/errors/bug');
      expect(res.status).toBe(500);
      expect(res.body).toEqual({
        status: 'error',
        error: 'Internal server error',
        messages: [{ message: 'Something went wrong.', tags: 'warning' }],
      });
      expect(res.text).not.toContain('hunter2');
      expect(logged.join('\n')).toContain('db password is hunter2');
      expect(logged.join('\n')).toMatch(/errors\.controller\.ts/);
    });

    it('keeps the status of a 5xx HttpException but shows only its phrase, and logs its message', async () => {
      const res = await t.http().get('/errors/unavailable');
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ status: 'error', error: 'Service unavailable' });
      expect(logged.join('\n')).toContain('replica db-7.internal:5432 refused user app');
    });

    it('treats a thrown non-Error as a 500 and logs it', async () => {
      const res = await t.http().get('/errors/string');
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ status: 'error', error: 'Internal server error' });
      expect(logged.join('\n')).toContain('a string, not an Error');
    });

    it('keeps a 4xx status carried by a plain error, with its exposed message', async () => {
      const res = await t.http().get('/errors/client-status');
      expect(res.status).toBe(416);
      expect(res.body).toEqual({ status: 'error', error: 'Range not satisfiable', message: 'range not satisfiable here' });
    });

    it('does not trust a 5xx status carried by a plain error: 500, nothing shown', async () => {
      const res = await t.http().get('/errors/server-status');
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ status: 'error', error: 'Internal server error' });
    });

    it('does not crash when the response has already started, and logs the error', async () => {
      const res = await t.http().get('/errors/after-headers');
      expect(res.status).toBe(200);
      expect(res.text).toBe('{"partial":');
      expect(logged.join('\n')).toContain('failed half-way');
      // The app still answers.
      const next = await t.http().get('/errors/not-found');
      expect(next.status).toBe(404);
    });
  });
});
