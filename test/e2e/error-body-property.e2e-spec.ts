import { jest } from '@jest/globals';
import { Controller, Get, HttpException, Logger } from '@nestjs/common';
import fc from 'fast-check';
import { STATUS_CODES } from 'node:http';
import type { AjaxErrorFormat } from '../../lib/index.js';
import { PLATFORMS, startTestApp, type TestApp } from '../fixtures/test-app.js';

/**
 * Whatever a route throws, AjaxModule.forRoot({ global: true }) answers the
 * module's JSON error body: a 4xx/5xx status, `{ status: 'error', error,
 * message?, messages? }`, and nothing of an unexpected failure (no message,
 * no stack, no file paths); with `errorFormat: 'problem+json'`, RFC 9457
 * problem details of the same failure, `{ type, title, status, detail?,
 * instance, errors? }` as `application/problem+json`. One running app per
 * format; each run sets the value the route throws, then asks for it.
 */

let toThrow: unknown;

@Controller('prop')
class ThrowWhatYouAreToldController {
  @Get('throw')
  throwIt(): never {
    throw toThrow;
  }

  @Get('ok')
  ok(): { ok: true } {
    return { ok: true };
  }
}

const PATH = '/prop/throw';
const FORMATS: AjaxErrorFormat[] = ['ajax', 'problem+json'];
/** The body of a failure that shows nothing but its status, in each format. */
const BARE: Record<AjaxErrorFormat, (status: number, phrase: string) => Record<string, unknown>> = {
  ajax: (_status, phrase) => ({ status: 'error', error: phrase }),
  'problem+json': (status, phrase) => ({ type: 'about:blank', title: phrase, status, instance: PATH }),
};
/** The body of an unexpected failure, in each format. */
const INTERNAL: Record<AjaxErrorFormat, Record<string, unknown>> = {
  ajax: { status: 'error', error: 'Internal server error' },
  'problem+json': { type: 'about:blank', title: 'Internal Server Error', status: 500, instance: PATH },
};
/** The keys each format's body has of its own; any other is an app's exception member. */
const OWN_KEYS: Record<AjaxErrorFormat, Set<string>> = {
  ajax: new Set(['status', 'error', 'message', 'messages']),
  'problem+json': new Set(['type', 'title', 'status', 'detail', 'instance', 'errors', 'messages']),
};

/** Messages: short ASCII, any code unit, and the reason phrases the module may drop. */
const messageArb = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('', 'Bad Request', 'not found', 'Internal Server Error', 'Cannot GET /prop/throw'),
);

/** Any status an error may carry: in range, out of range, negative, fractional, not a number, absent. */
const anyStatusArb = fc.oneof(
  fc.integer({ min: 400, max: 499 }),
  fc.integer({ min: 500, max: 599 }),
  fc.integer({ min: 100, max: 999 }),
  fc.integer(),
  fc.double(),
  fc.constantFrom(undefined, null, '404', 404.5, -404, 0, Number.NaN, Number.POSITIVE_INFINITY),
);

const exposeArb = fc.oneof(fc.boolean(), fc.constantFrom(undefined, null, 0, 1, 'false', 'true'));

/** Status and statusCode (each present or not) and expose, as an Error or a plain object carries them. */
const statusPropsArb = fc.record(
  { status: anyStatusArb, statusCode: anyStatusArb, expose: exposeArb, message: messageArb },
  { requiredKeys: [] },
);

const errorWithPropsArb = fc
  .tuple(messageArb, statusPropsArb)
  .map(([message, props]) => {
    const { message: _ignored, ...rest } = props;
    return Object.assign(new Error(message), rest);
  });

const objectWithPropsArb = fc.tuple(statusPropsArb, fc.dictionary(fc.string(), fc.anything())).map(([props, extra]) => ({ ...extra, ...props }));

/** A problem `type`: absolute URIs, and what is not one (relative, blank, a space inside). */
const problemTypeArb = fc.oneof(
  fc.webUrl(),
  fc.constantFrom('about:blank', 'urn:example:out-of-credit', 'out-of-credit', '/probs/out-of-credit', 'https://exa mple.com/x', ' https://example.com/x', 'https:', ''),
  fc.string(),
);

/** An exception shaped as RFC 9457 problem details already, each member there or not. */
const problemShapedArb = fc.record(
  { type: problemTypeArb, title: messageArb, status: fc.integer(), detail: messageArb, instance: fc.string(), errors: fc.array(messageArb), message: messageArb },
  { requiredKeys: [] },
);

const payloadArb = fc.oneof(
  messageArb,
  fc.array(messageArb),
  fc.object(),
  fc.record({ message: fc.oneof(messageArb, fc.array(messageArb)) }),
  fc.record({ message: fc.oneof(messageArb, fc.array(messageArb)), statusCode: fc.integer(), error: fc.string() }),
  problemShapedArb,
);

const httpExceptionArb = (min: number, max: number) =>
  fc.tuple(payloadArb, fc.integer({ min, max })).map(([payload, status]) => new HttpException(payload, status));

const thrownArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything(),
  fc.anything({ withBigInt: true, withBoxedValues: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withTypedArray: true }),
  messageArb.map((message) => new Error(message)),
  fc.tuple(messageArb, fc.constantFrom(TypeError, RangeError, SyntaxError)).map(([message, Kind]) => new Kind(message)),
  errorWithPropsArb,
  objectWithPropsArb,
  httpExceptionArb(400, 599),
  httpExceptionArb(100, 999),
  // A 4xx that names its problem type, or tries to.
  fc.tuple(problemShapedArb, problemTypeArb, fc.integer({ min: 400, max: 499 })).map(([payload, type, status]) => new HttpException({ ...payload, type }, status)),
);

/** The 4xx a thrown value carries as `status` or `statusCode`, as the README describes it. */
/** The 4xx status a non-HttpException keeps: as Express reads it, the first of status/statusCode that is 400–599, if 4xx. */
function carried4xx(value: unknown): number | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { status, statusCode } = value as { status?: unknown; statusCode?: unknown };
  const isError = (n: unknown): n is number => Number.isInteger(n) && (n as number) >= 400 && (n as number) <= 599;
  const carried = isError(status) ? status : isError(statusCode) ? statusCode : undefined;
  return carried !== undefined && carried < 500 ? carried : undefined;
}

/** A string or a list of strings, as the message of a payload or an error. */
function messageOf(value: unknown): string | string[] | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && 'message' in value) {
    const { message } = value as { message: unknown };
    if (typeof message === 'string') return message;
    if (Array.isArray(message) && message.every((item) => typeof item === 'string')) return message as string[];
  }
  return undefined;
}

const loose = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * The message the body should carry: the thrown value's own, when it says more
 * than the reason phrase. `undefined` means none; `'either'` that it only
 * repeats the phrase (modulo case and punctuation), which the README lets the
 * module drop.
 */
function expectedMessage(own: string | string[] | undefined, phrase: string): string | string[] | undefined | 'either' {
  if (own === undefined || own.length === 0) return undefined;
  if (typeof own === 'string' && loose(own) === loose(phrase)) return 'either';
  return own;
}

/** An absolute URI, as a problem `type` must be to be kept. */
function isAbsoluteUri(value: unknown): value is string {
  return typeof value === 'string' && /^[a-z][a-z0-9+.-]*:[^\s\p{Cc}]+$/iu.test(value) && URL.canParse(value);
}

/**
 * Checks the body's message against the thrown value's own (`own`): the
 * module's body has it as `message`; problem details have a string as
 * `detail` and a list as `errors`, and an RFC-shaped exception's own
 * `detail` (`memberDetail`) stands in for a message they do not show.
 */
function expectMessage(format: AjaxErrorFormat, body: Record<string, unknown>, own: string | string[] | undefined, phrase: string, memberDetail?: unknown): void {
  const expected = expectedMessage(own, phrase);
  if (format === 'ajax') {
    if (expected === undefined) expect(body).not.toHaveProperty('message');
    else if (expected !== 'either') expect(body.message).toEqual(expected);
    return;
  }
  if (Array.isArray(expected)) expect(body.errors).toEqual(expected);
  else expect(body).not.toHaveProperty('errors');
  const fallback = expectedMessage(typeof memberDetail === 'string' ? memberDetail : undefined, phrase);
  const fallbackDetail = fallback === 'either' ? memberDetail : fallback;
  if (expected === 'either') expect([undefined, own, fallbackDetail]).toContainEqual(body.detail);
  else if (typeof expected === 'string') expect(body.detail).toBe(expected);
  else if (fallback === undefined) expect(body).not.toHaveProperty('detail');
  else if (fallback === 'either') expect([undefined, memberDetail]).toContainEqual(body.detail);
  else expect(body.detail).toBe(fallback);
}

/** The stack frames of a thrown Error (lines `    at …` that are not part of its message). */
function stackFrames(value: unknown): string[] {
  if (!(value instanceof Error) || typeof value.stack !== 'string') return [];
  const message = String(value.message);
  return value.stack.split('\n').filter((line) => line.startsWith('    at ') && !message.includes(line));
}

describe.each(PLATFORMS)('on %s', (platform) => {
  describe.each(FORMATS)('the error body (%s), whatever is thrown (property)', (format) => {
    let t: TestApp;
    const errorLogs: string[] = [];
    beforeAll(async () => {
      jest.spyOn(Logger.prototype, 'error').mockImplementation((...args: unknown[]) => {
        errorLogs.push(args.map(String).join('\n'));
      });
      // The default format is left to the default, so that this run also holds the unchanged body.
      const ajax = format === 'ajax' ? { global: true } : { global: true, errorFormat: format };
      t = await startTestApp({ platform, ajax, controllers: [ThrowWhatYouAreToldController] });
    });
    afterAll(async () => {
      await t.close();
      jest.restoreAllMocks();
    });

    it('is always a JSON 4xx/5xx error body that shows nothing of an unexpected failure', async () => {
      const seen = { internal: 0, http: 0, carried: 0, typed: 0 };
      const bare = BARE[format];
      await fc.assert(
        fc.asyncProperty(thrownArb, async (thrown) => {
          toThrow = thrown;
          errorLogs.length = 0;
          const res = await t.http().get(PATH).set('Accept', 'text/html,*/*;q=0.8');

          // Shape common to every failure.
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThanOrEqual(599);
          expect(res.headers['content-type']).toMatch(format === 'ajax' ? /^application\/json\b/ : /^application\/problem\+json\b/);
          const body = JSON.parse(res.text) as Record<string, unknown>;
          expect(typeof body).toBe('object');
          expect(body).not.toBeNull();
          expect(Array.isArray(body)).toBe(false);
          const named = STATUS_CODES[res.status];
          let phrase: string;
          if (format === 'ajax') {
            expect(body.status).toBe('error');
            expect(typeof body.error).toBe('string');
            phrase = body.error as string;
            if (named) expect(phrase.toLowerCase()).toBe(named.toLowerCase());
            if ('message' in body) {
              const ok = typeof body.message === 'string' || (Array.isArray(body.message) && body.message.every((m) => typeof m === 'string'));
              expect(ok).toBe(true);
            }
          } else {
            // The title is the reason phrase as HTTP spells it; the status the response's; the instance the path.
            phrase = body.title as string;
            expect(phrase).toBe(named ?? (res.status < 500 ? 'Client Error' : 'Server Error'));
            expect(body.status).toBe(res.status);
            expect(body.instance).toBe(PATH);
            if ('detail' in body) expect(typeof body.detail).toBe('string');
            if ('errors' in body) expect(Array.isArray(body.errors) && body.errors.every((m) => typeof m === 'string')).toBe(true);
          }
          expect(phrase.length).toBeGreaterThan(0);
          // Any other key is the app's own member of a 4xx HttpException's response object, sent as it was.
          const response = thrown instanceof HttpException && res.status < 500 ? thrown.getResponse() : undefined;
          const members = typeof response === 'object' && response !== null && !Array.isArray(response) ? (response as Record<string, unknown>) : undefined;
          for (const key of Object.keys(body)) {
            if (OWN_KEYS[format].has(key)) continue;
            expect([key, members !== undefined && Object.hasOwn(members, key)]).toEqual([key, true]);
            expect(['stack', 'statusCode']).not.toContain(key);
            expect(body[key]).toEqual(JSON.parse(JSON.stringify(members![key])));
          }
          if (format === 'problem+json') {
            // The type a 4xx exception names, when it is an absolute URI; else about:blank.
            const named = members !== undefined && Object.hasOwn(members, 'type') && isAbsoluteUri(members.type) ? members.type : undefined;
            if (named !== undefined) seen.typed++;
            expect(body.type).toBe(named ?? 'about:blank');
          }

          // Nothing of a stack or of the sources, ever.
          for (const frame of stackFrames(thrown)) expect(res.text).not.toContain(frame);
          if (thrown instanceof Error && typeof thrown.stack === 'string' && stackFrames(thrown).length > 0) {
            expect(res.text).not.toContain(thrown.stack);
          }
          expect(res.text).not.toMatch(/node_modules/);
          expect(res.text).not.toMatch(/\.ts:\d+/);

          // Status and message by the kind of thing thrown.
          if (thrown instanceof HttpException) {
            seen.http++;
            const status = thrown.getStatus();
            if (status < 400 || status > 599) {
              expect(res.status).toBe(500);
              expect(body).toEqual(INTERNAL[format]);
              expect(errorLogs.length).toBeGreaterThan(0);
            } else if (status >= 500) {
              // A 5xx keeps its status but shows only its phrase: its message is for the log.
              expect(res.status).toBe(status);
              expect(body).toEqual(bare(status, phrase));
              expect(errorLogs.length).toBeGreaterThan(0);
            } else {
              expect(res.status).toBe(status);
              expectMessage(format, body, messageOf(thrown.getResponse()), phrase, members?.detail);
              expect(errorLogs).toEqual([]);
            }
            return;
          }
          const carried = carried4xx(thrown);
          if (carried === undefined) {
            seen.internal++;
            expect(res.status).toBe(500);
            expect(body).toEqual(INTERNAL[format]);
            // Logged, with its stack when it is an Error.
            expect(errorLogs.length).toBeGreaterThan(0);
            const frames = stackFrames(thrown);
            if (frames.length > 0) expect(errorLogs.join('\n')).toContain(frames[0]);
            return;
          }
          seen.carried++;
          const { expose } = thrown as { expose?: unknown };
          expect(res.status).toBe(carried);
          // Only an error that says expose: true shows its message (http-errors' rule).
          expectMessage(format, body, expose === true ? messageOf((thrown as { message?: unknown }).message) : undefined, phrase);
        }),
        { numRuns: 200 },
      );
      // The arbitraries reached each kind of value.
      expect(seen.internal).toBeGreaterThan(0);
      expect(seen.http).toBeGreaterThan(0);
      expect(seen.carried).toBeGreaterThan(0);
      if (format === 'problem+json') expect(seen.typed).toBeGreaterThan(0);

      const ok = await t.http().get('/prop/ok');
      expect(ok.status).toBe(200);
      expect(ok.body).toEqual({ ok: true });
    });
  });
});
