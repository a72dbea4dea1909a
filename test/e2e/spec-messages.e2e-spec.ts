import type { Response as SuperagentResponse } from 'superagent';
import {
  SPEC_SHARED_BODY,
  SpecCustomTagsController,
  SpecMessagesController,
  SpecMessagesServiceController,
} from '../fixtures/spec-message-fixtures.js';
import { PLATFORMS, startTestApp, type TestApp } from '../fixtures/test-app.js';

/** Collects the raw bytes of a response, whatever its content type. */
function rawBody(res: SuperagentResponse, callback: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(Buffer.from(chunk)));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

const info = (message: string) => ({ message, tags: 'info' });

describe.each(PLATFORMS)('on %s', (platform) => {
  describe('flash messages in JSON responses (AjaxModule.forRoot({ global: true }))', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ platform, ajax: { global: true }, controllers: [SpecMessagesController, SpecMessagesServiceController] });
    });
    afterAll(() => t.close());

    it('keeps INFO and above by default, drops debug and empty messages; setLevel() changes the minimum for one request', async () => {
      const visitor = t.agent();
      const byDefault = await visitor.get('/spec-msg/levels');
      expect(byDefault.status).toBe(200);
      expect(byDefault.body).toEqual({
        level: 20,
        messages: [
          { message: 'Info text.', tags: 'info' },
          { message: 'Saved.', tags: 'success' },
          { message: 'Careful.', tags: 'warning' },
          { message: 'Failed.', tags: 'error' },
        ],
      });

      const lowered = await visitor.get('/spec-msg/levels/10');
      expect(lowered.body).toEqual({
        level: 10,
        messages: [
          { message: 'Debug now.', tags: 'debug' },
          { message: 'Info now.', tags: 'info' },
          { message: 'Warning now.', tags: 'warning' },
        ],
      });

      const raised = await visitor.get('/spec-msg/levels/30');
      expect(raised.body).toEqual({ level: 30, messages: [{ message: 'Warning now.', tags: 'warning' }] });

      // The level was for those requests only.
      const again = await visitor.get('/spec-msg/levels');
      expect(again.body).toEqual({ ...byDefault.body });
    });

    it('builds tags from the extra tags then the level tag', async () => {
      const res = await t.agent().get('/spec-msg/tags');
      expect(res.body).toEqual({
        tagged: true,
        messages: [
          { message: 'Disk almost full.', tags: 'important error' },
          { message: 'Custom add.', tags: 'sticky wide success' },
          { message: 'Plain warning.', tags: 'warning' },
        ],
      });
    });

    it('copies a shared plain object instead of adding messages to it', async () => {
      const first = await t.agent().get('/spec-msg/shared');
      expect(first.body).toEqual({ kind: 'shared', items: [1, 2], messages: [info('Shared hello.')] });
      expect(SPEC_SHARED_BODY).toEqual({ kind: 'shared', items: [1, 2] });
      expect(Object.keys(SPEC_SHARED_BODY)).toEqual(['kind', 'items']);

      // Another visitor gets only its own message, not a leftover from the first response.
      const second = await t.agent().get('/spec-msg/shared');
      expect(second.body).toEqual({ kind: 'shared', items: [1, 2], messages: [info('Shared hello.')] });
      expect(SPEC_SHARED_BODY).toEqual({ kind: 'shared', items: [1, 2] });
    });

    it('leaves an array, a string, a Buffer, no body and a @Res() response as they are; the next JSON response carries the messages', async () => {
      const cases: Array<{ kind: string; path: string; check(res: SuperagentResponse & { body: unknown }): void }> = [
        {
          kind: 'array',
          path: '/spec-msg/undeliverable/array',
          check: (res) => expect(res.body).toEqual(['a', 'b']),
        },
        {
          kind: 'string',
          path: '/spec-msg/undeliverable/string',
          check: (res) => expect((res.body as Buffer).toString('utf8')).toBe('just text'),
        },
        {
          kind: 'buffer',
          path: '/spec-msg/undeliverable/buffer',
          // Nest's Express adapter serialises a returned Buffer with res.json(), Fastify sends its bytes; the module must not add to it.
          check: (res) =>
            platform === 'express'
              ? expect(JSON.parse((res.body as Buffer).toString('utf8'))).toEqual({ type: 'Buffer', data: [...Buffer.from('raw bytes')] })
              : expect((res.body as Buffer).toString('utf8')).toBe('raw bytes'),
        },
        {
          kind: 'nothing',
          path: '/spec-msg/undeliverable/nothing',
          check: (res) => expect((res.body as Buffer).length).toBe(0),
        },
        {
          kind: 'res',
          path: '/spec-msg/res',
          check: (res) => expect(JSON.parse((res.body as Buffer).toString('utf8'))).toEqual({ via: 'res' }),
        },
      ];

      for (const { kind, path, check } of cases) {
        const visitor = t.agent();
        const req = visitor.get(path);
        const undeliverable = kind === 'array' ? await req : await req.buffer(true).parse(rawBody);
        expect(undeliverable.status).toBe(200);
        check(undeliverable);

        const next = await visitor.get('/spec-msg/ping');
        expect(next.body).toEqual({ ok: true, messages: [info(`Left by ${kind}.`)] });
        const after = await visitor.get('/spec-msg/ping');
        expect(after.body).toEqual({ ok: true });
      }

      // Pending messages pile up, oldest first, until a JSON response takes them.
      const visitor = t.agent();
      await visitor.get('/spec-msg/undeliverable/array');
      await visitor.get('/spec-msg/undeliverable/string');
      const levels = await visitor.get('/spec-msg/levels/30');
      expect(levels.body).toEqual({
        level: 30,
        messages: [info('Left by array.'), info('Left by string.'), { message: 'Warning now.', tags: 'warning' }],
      });
    });

    it('peek() shows pending messages without taking them; consume() takes them so no response carries them', async () => {
      const visitor = t.agent();
      await visitor.get('/spec-msg/undeliverable/array');
      const peek = await visitor.get('/spec-msg/peek');
      expect(peek.body).toEqual({
        peeked: ['Left by array.|info', 'Still pending.|info'],
        messages: [info('Left by array.'), info('Still pending.')],
      });

      await visitor.get('/spec-msg/undeliverable/nothing');
      const consume = await visitor.get('/spec-msg/consume');
      expect(consume.body).toEqual({ consumed: ['Left by nothing.|info', 'Taken by hand.|warning', 'left:0'] });
      const next = await visitor.get('/spec-msg/ping');
      expect(next.body).toEqual({ ok: true });
    });

    it('MessagesService and @Messages() in one request share messages and level', async () => {
      const visitor = t.agent();
      const both = await visitor.get('/spec-msg-service/both');
      expect(both.status).toBe(200);
      expect(both.body).toEqual({
        seenByService: ['From the service.', 'From the decorator.'],
        seenByParam: ['From the service.', 'From the decorator.'],
        levelSeenByParam: 10,
        messages: [
          { message: 'From the service.', tags: 'success' },
          { message: 'From the decorator.', tags: 'warning' },
          { message: 'Debug allowed by the service.', tags: 'debug' },
        ],
      });

      const consume = await visitor.get('/spec-msg-service/consume');
      expect(consume.body).toEqual({ consumedByParam: ['Service info.'], leftForService: 0 });
    });

    it('AjaxResponse adds success only when given, sets the status, and carries the messages', async () => {
      const success = await t.agent().get('/spec-msg/ajax-response/success');
      expect(success.status).toBe(200);
      expect(success.body).toEqual({ votes: 3, success: true, messages: [{ message: 'Vote recorded.', tags: 'success' }] });

      const failure = await t.agent().get('/spec-msg/ajax-response/failure');
      expect(failure.status).toBe(200);
      expect(failure.body).toEqual({ choice: 'green', success: false });

      const plain = await t.agent().get('/spec-msg/ajax-response/plain');
      expect(plain.status).toBe(200);
      expect(plain.body).toEqual({ votes: 3 });

      const empty = await t.agent().post('/spec-msg/ajax-response/empty');
      expect(empty.status).toBe(200); // @All() answers 200
      expect(empty.body).toEqual({});

      const unprocessable = await t.agent().post('/spec-msg/ajax-response/unprocessable');
      expect(unprocessable.status).toBe(422);
      expect(unprocessable.headers['content-type']).toMatch(/^application\/json/);
      expect(unprocessable.body).toEqual({ choice: 'green', success: false, messages: [{ message: 'Invalid choice.', tags: 'error' }] });

      const accepted = await t.agent().get('/spec-msg/ajax-response/accepted');
      expect(accepted.status).toBe(202);
      expect(accepted.body).toEqual({ queued: true });
    });

    it('AjaxResponse refuses data that is not a plain object with a TypeError', async () => {
      const res = await t.http().get('/spec-msg/ajax-response-bad-data');
      expect(res.body).toEqual({
        results: [
          'array:TypeError',
          'string:TypeError',
          'number:TypeError',
          'null:TypeError',
          'date:TypeError',
          'class:TypeError',
          'map:TypeError',
        ],
      });
    });
  });

  describe('AjaxModule.forRoot({ messages: { tags: { 40: "danger" } } })', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ platform, ajax: { global: true, messages: { tags: { 40: 'danger' } } }, controllers: [SpecCustomTagsController] });
    });
    afterAll(() => t.close());

    it('uses the configured tag for that level and the defaults for the others', async () => {
      const res = await t.agent().get('/spec-msg-tags');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        custom: true,
        messages: [
          { message: 'Payment failed.', tags: 'danger' },
          { message: 'Card expired.', tags: 'important danger' },
          { message: 'Still success.', tags: 'success' },
        ],
      });
    });
  });
});
