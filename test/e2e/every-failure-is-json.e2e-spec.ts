import {
  Body,
  type CallHandler,
  type CanActivate,
  ConflictException,
  Controller,
  ForbiddenException,
  Get,
  type INestApplication,
  Injectable,
  type NestInterceptor,
  Param,
  Post,
  UseGuards,
  UseInterceptors,
  ValidationPipe,
} from '@nestjs/common';
import { IsInt, IsString, Max, Min, MinLength } from 'class-validator';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { map, type Observable, throwError } from 'rxjs';
import type { Response as SupertestResponse } from 'supertest';
import { captureLogs } from '../fixtures/capture-logs.js';
import { NEST_MAJOR } from '../fixtures/nest-version.js';
import { PLATFORMS, startTestApp, type TestApp } from '../fixtures/test-app.js';

/**
 * One test per source of failure in an app with AjaxModule.forRoot({ global: true }):
 * Express middleware, body-parser, the router, guards, pipes, interceptors,
 * handlers (sync, async, Observable), and thrown values that are not Errors.
 * Every answer must be the module's JSON error body, never HTML, and the app
 * must go on answering afterwards.
 */

const INTERNAL = { status: 'error', error: 'Internal server error' };

/** What the module's body may never show: stack frames and source/dependency paths. */
const STACK_FRAME = /^\s*at \S/m;
const SOURCE_REF = /node_modules|\.[cm]?[tj]s:\d+/;

class CreatePollDto {
  @IsString()
  @MinLength(3)
  question!: string;

  @IsInt()
  @Min(2)
  @Max(10)
  choices!: number;
}

@Injectable()
class ThrowingGuard implements CanActivate {
  canActivate(): boolean {
    throw new Error('guard lost its connection to redis://:s3cret@cache:6379');
  }
}

@Injectable()
class ForbiddingGuard implements CanActivate {
  canActivate(): boolean {
    throw new ForbiddenException('Only the owner of poll 7 may close it');
  }
}

@Injectable()
class RefusingGuard implements CanActivate {
  canActivate(): boolean {
    return false;
  }
}

@Injectable()
class ThrowingInterceptor implements NestInterceptor {
  intercept(): Observable<unknown> {
    throw new Error('interceptor read a corrupt audit row 0xDEADBEEF');
  }
}

@Injectable()
class FailingStreamInterceptor implements NestInterceptor {
  intercept(_context: unknown, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map(() => {
        throw new Error('serializer choked on field ssn=123-45-6789');
      }),
    );
  }
}

/** Thrown by GET /failures/throw/:kind: values that are not Errors. */
const NON_ERRORS: Record<string, unknown> = {
  string: 'raw failure: token=abc123',
  null: null,
  undefined: undefined,
  number: 31337,
  object: { secret: 'x' },
};

@Controller('failures')
class FailuresController {
  @Get('ok')
  ok(): { ok: true } {
    return { ok: true };
  }

  @Post('echo')
  echo(@Body() body: unknown): unknown {
    return { received: body };
  }

  @Post('polls')
  create(@Body() dto: CreatePollDto): { created: string } {
    return { created: dto.question };
  }

  @Get('guard-error')
  @UseGuards(ThrowingGuard)
  guardError(): { ok: true } {
    return { ok: true };
  }

  @Get('guard-forbidden')
  @UseGuards(ForbiddingGuard)
  guardForbidden(): { ok: true } {
    return { ok: true };
  }

  @Get('guard-false')
  @UseGuards(RefusingGuard)
  guardFalse(): { ok: true } {
    return { ok: true };
  }

  @Get('interceptor-error')
  @UseInterceptors(ThrowingInterceptor)
  interceptorError(): { ok: true } {
    return { ok: true };
  }

  @Get('interceptor-stream-error')
  @UseInterceptors(FailingStreamInterceptor)
  interceptorStreamError(): { ok: true } {
    return { ok: true };
  }

  @Get('handler-error')
  handlerError(): never {
    throw new Error('handler saw db password hunter2');
  }

  @Get('throw/:kind')
  throwNonError(@Param('kind') kind: string): never {
    if (!(kind in NON_ERRORS)) throw new Error(`unknown kind ${kind}`);
    throw NON_ERRORS[kind];
  }

  @Get('async-rejection')
  async asyncRejection(): Promise<never> {
    await new Promise((resolve) => setImmediate(resolve));
    throw new Error('async handler failed: connection string postgres://admin:pw@db/app');
  }

  @Get('observable-error')
  observableError(): Observable<never> {
    return throwError(() => new Error('observable failed with api key sk_live_42'));
  }

  @Get('observable-http-error')
  observableHttpError(): Observable<never> {
    return throwError(() => new ConflictException('Poll 7 is closed for votes'));
  }
}

/**
 * Middleware registered with app.use() (Express's, or Fastify's through middie, which hands it Node's raw
 * request): it fails on paths of its own.
 */
function failingMiddleware(req: IncomingMessage, _res: ServerResponse, next: (error?: unknown) => void): void | Promise<void> {
  const path = req.url?.split('?')[0];
  if (path === '/mw/throw') throw new Error('middleware saw session secret zx81-spectrum');
  if (path === '/mw/reject') return Promise.reject(new Error('async middleware failed: AWS_SECRET=wJalrXUtnFEMI'));
  if (path === '/mw/next-429') return next(Object.assign(new Error('Slow down: 10 votes a minute'), { status: 429, expose: true }));
  // http-errors' shape (status === statusCode, a boolean expose), which Nest 12 wraps in an HttpException and Nest 11 does not.
  if (path === '/mw/next-499-hidden') return next(Object.assign(new Error('upstream hung up, token=tk_live_51H'), { status: 499, statusCode: 499, expose: false }));
  if (path === '/mw/next-422-shown') return next(Object.assign(new Error('Poll 7 is closed'), { status: 422, statusCode: 422, expose: true }));
  next();
}

/** JSON, the module's content type, and nothing a stack or a path would leave behind. */
function expectJsonError(res: SupertestResponse, status: number): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json\b/);
  expect(res.text).not.toMatch(/<html|<!DOCTYPE|<pre>/i);
  expect(() => JSON.parse(res.text) as unknown).not.toThrow();
  expect(res.text).not.toMatch(SOURCE_REF);
}

/** For a body-parser failure, whose own wording is not part of the contract. */
function expectParserError(res: SupertestResponse, status: number, error: string): void {
  expectJsonError(res, status);
  expect(res.body.status).toBe('error');
  expect(res.body.error).toBe(error);
  expect(Object.keys(res.body).sort()).toEqual(expect.arrayContaining(['error', 'status']));
  for (const key of Object.keys(res.body)) expect(['status', 'error', 'message']).toContain(key);
  if ('message' in res.body) {
    expect(typeof res.body.message).toBe('string');
    expect(res.body.message).not.toMatch(STACK_FRAME);
  }
}

describe.each(PLATFORMS)('on %s', (platform) => {
  describe('AjaxModule.forRoot({ global: true }): a JSON error body from every source of failure', () => {
    let t: TestApp;
    const logged = captureLogs('error');
    const log = (): string => logged.join('\n');

    beforeAll(async () => {
      t = await startTestApp({ platform,
        ajax: { global: true },
        controllers: [FailuresController],
        configure: (app: INestApplication) => {
          app.use(failingMiddleware);
          app.useGlobalPipes(new ValidationPipe());
        },
      });
    });
    afterAll(() => t.close());

    /** A browser-like client: it would take HTML if it were offered. */
    const get = (path: string) => t.http().get(path).set('Accept', 'text/html,application/xhtml+xml,*/*;q=0.8');
    const post = (path: string) => t.http().post(path).set('Accept', 'text/html,application/xhtml+xml,*/*;q=0.8');

    afterEach(async () => {
      // No failure takes the app down: the next ordinary request is answered.
      const res = await t.http().get('/failures/ok');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ok: true });
    });

    describe('body-parser', () => {
      it('malformed JSON: 400', async () => {
        const res = await post('/failures/echo').set('Content-Type', 'application/json').send('{"question": "Red or blue?", ');
        expectParserError(res, 400, 'Bad request');
      });

      // Express's body-parser refuses what it cannot decode; Fastify's parsers read the bytes as they come.
      const onExpress = platform === 'express' ? it : it.skip;
      const onFastify = platform === 'fastify' ? it : it.skip;

      onExpress('a JSON body in a charset it cannot read: 415', async () => {
        const res = await post('/failures/echo').set('Content-Type', 'application/json; charset=klingon').send('{"question":"Red or blue?"}');
        expectParserError(res, 415, 'Unsupported media type');
      });

      onExpress('a JSON body in a content encoding it cannot read: 415', async () => {
        const res = await post('/failures/echo')
          .set('Content-Type', 'application/json')
          .set('Content-Encoding', 'klingon')
          .send('{"question":"Red or blue?"}');
        expectParserError(res, 415, 'Unsupported media type');
      });

      onFastify('a body of a media type no parser reads: 415', async () => {
        const res = await post('/failures/echo').set('Content-Type', 'text/xml').send('<poll question="Red or blue?"/>');
        expectParserError(res, 415, 'Unsupported media type');
      });

      onFastify('an empty JSON body: 400', async () => {
        const res = await post('/failures/echo').set('Content-Type', 'application/json').send('');
        expectParserError(res, 400, 'Bad request');
      });

      it('a JSON body over the default 100kb limit: 413', async () => {
        const res = await post('/failures/echo')
          .set('Content-Type', 'application/json')
          .send(JSON.stringify({ question: 'q'.repeat(101 * 1024) }));
        expectParserError(res, 413, 'Payload too large');
      });

      it('a urlencoded body over the default 100kb limit: 413', async () => {
        const res = await post('/failures/echo')
          .set('Content-Type', 'application/x-www-form-urlencoded')
          .send(`question=${'q'.repeat(101 * 1024)}`);
        expectParserError(res, 413, 'Payload too large');
      });

      it('still parses a body just under the limit (the 413s above are the limit, not the route)', async () => {
        const question = 'q'.repeat(90 * 1024);
        const res = await post('/failures/echo').set('Content-Type', 'application/json').send(JSON.stringify({ question }));
        expect(res.status).toBe(201);
        expect(res.body).toEqual({ received: { question } });
      });
    });

    it('an unknown route: 404 with "Cannot GET /path"', async () => {
      const res = await get('/failures-nowhere/deeper');
      expectJsonError(res, 404);
      expect(res.body).toEqual({ status: 'error', error: 'Not found', message: 'Cannot GET /failures-nowhere/deeper' });
    });

    it('an unknown route asked with a query string: its message leaves the query out (it may carry a token)', async () => {
      const res = await get('/failures-nowhere/deeper?token=SECRET123&email=ada%40example.com');
      expectJsonError(res, 404);
      expect(res.body).toEqual({ status: 'error', error: 'Not found', message: 'Cannot GET /failures-nowhere/deeper' });
    });

    describe('Express middleware registered with app.use()', () => {
      it('an Error it throws: bare 500, logged with its stack', async () => {
        const res = await get('/mw/throw');
        expectJsonError(res, 500);
        expect(res.body).toEqual(INTERNAL);
        expect(res.text).not.toContain('zx81');
        expect(log()).toContain('middleware saw session secret zx81-spectrum');
        expect(log()).toMatch(/\n\s+at .*every-failure-is-json\.e2e-spec\.ts/);
      });

      // Nest 11's Fastify middleware runner (middie 9) leaves a middleware's rejected promise unhandled: no answer at all.
      (platform === 'fastify' && NEST_MAJOR === 11 ? it.skip : it)('a promise it rejects: bare 500, logged', async () => {
        const res = await get('/mw/reject');
        expectJsonError(res, 500);
        expect(res.body).toEqual(INTERNAL);
        expect(res.text).not.toContain('wJalrXUtnFEMI');
        expect(log()).toContain('async middleware failed: AWS_SECRET=wJalrXUtnFEMI');
      });

      it('an http-errors error without expose: true: its status, no message (not even Nest 12\'s "Internal server error")', async () => {
        const res = await get('/mw/next-499-hidden');
        expectJsonError(res, 499);
        expect(res.body).toEqual({ status: 'error', error: 'Client error' });
        expect(res.text).not.toContain('tk_live');
      });

      it('an http-errors error with expose: true: its status and its message', async () => {
        const res = await get('/mw/next-422-shown');
        expectJsonError(res, 422);
        expect(res.body).toEqual({ status: 'error', error: 'Unprocessable entity', message: 'Poll 7 is closed' });
      });

      it('an error with a 4xx status and expose: true it passes to next(): that status, with its message', async () => {
        const res = await get('/mw/next-429');
        expectJsonError(res, 429);
        expect(res.body).toEqual({ status: 'error', error: 'Too many requests', message: 'Slow down: 10 votes a minute' });
      });
    });

    describe('guards', () => {
      it('an Error a guard throws: bare 500, logged', async () => {
        const res = await get('/failures/guard-error');
        expectJsonError(res, 500);
        expect(res.body).toEqual(INTERNAL);
        expect(res.text).not.toContain('s3cret');
        expect(log()).toContain('guard lost its connection');
      });

      it('an HttpException a guard throws: its status and message', async () => {
        const res = await get('/failures/guard-forbidden');
        expectJsonError(res, 403);
        expect(res.body).toEqual({ status: 'error', error: 'Forbidden', message: 'Only the owner of poll 7 may close it' });
        expect(logged).toEqual([]);
      });

      it("a guard that returns false: Nest's 403", async () => {
        const res = await get('/failures/guard-false');
        expectJsonError(res, 403);
        expect(res.body).toEqual({ status: 'error', error: 'Forbidden', message: 'Forbidden resource' });
      });
    });

    it("a global ValidationPipe rejecting a DTO body: 400 with class-validator's messages", async () => {
      const res = await post('/failures/polls').send({ question: 'ab', choices: 11 });
      expectJsonError(res, 400);
      expect(res.body).toEqual({
        status: 'error',
        error: 'Bad request',
        message: ['question must be longer than or equal to 3 characters', 'choices must not be greater than 10'],
      });
      expect(logged).toEqual([]);

      const valid = await post('/failures/polls').send({ question: 'Red or blue?', choices: 2 });
      expect(valid.status).toBe(201);
      expect(valid.body).toEqual({ created: 'Red or blue?' });
    });

    describe('interceptors', () => {
      it('an Error an interceptor throws before the handler: bare 500, logged', async () => {
        const res = await get('/failures/interceptor-error');
        expectJsonError(res, 500);
        expect(res.body).toEqual(INTERNAL);
        expect(res.text).not.toContain('DEADBEEF');
        expect(log()).toContain('interceptor read a corrupt audit row 0xDEADBEEF');
      });

      it("an Error thrown in an interceptor's stream after the handler: bare 500, logged", async () => {
        const res = await get('/failures/interceptor-stream-error');
        expectJsonError(res, 500);
        expect(res.body).toEqual(INTERNAL);
        expect(res.text).not.toContain('123-45-6789');
        expect(log()).toContain('serializer choked on field ssn=123-45-6789');
      });
    });

    it('an Error a handler throws: bare 500, logged with its stack', async () => {
      const res = await get('/failures/handler-error');
      expectJsonError(res, 500);
      expect(res.body).toEqual(INTERNAL);
      expect(res.text).not.toContain('hunter2');
      expect(log()).toContain('handler saw db password hunter2');
      expect(log()).toMatch(/\n\s+at .*every-failure-is-json\.e2e-spec\.ts/);
    });

    describe('thrown values that are not Errors', () => {
      it.each([
        ['string', 'raw failure: token=abc123'],
        ['null', 'null'],
        ['undefined', 'undefined'],
        ['number', '31337'],
        ['object', "secret: 'x'"],
      ])('%s: bare 500, nothing of it shown, logged', async (kind, inLog) => {
        const res = await get(`/failures/throw/${kind}`);
        expectJsonError(res, 500);
        expect(res.body).toEqual(INTERNAL);
        if (kind === 'string') expect(res.text).not.toContain('abc123');
        if (kind === 'number') expect(res.text).not.toContain('31337');
        if (kind === 'object') expect(res.text).not.toContain('secret');
        expect(logged.length).toBeGreaterThan(0);
        expect(log()).toContain(inLog);
      });
    });

    it('a promise an async handler rejects: bare 500, logged', async () => {
      const res = await get('/failures/async-rejection');
      expectJsonError(res, 500);
      expect(res.body).toEqual(INTERNAL);
      expect(res.text).not.toContain('postgres://');
      expect(log()).toContain('async handler failed');
    });

    describe('an Observable a handler returns', () => {
      it('erroring with an Error: bare 500, logged', async () => {
        const res = await get('/failures/observable-error');
        expectJsonError(res, 500);
        expect(res.body).toEqual(INTERNAL);
        expect(res.text).not.toContain('sk_live_42');
        expect(log()).toContain('observable failed with api key sk_live_42');
      });

      it('erroring with an HttpException: its status and message', async () => {
        const res = await get('/failures/observable-http-error');
        expectJsonError(res, 409);
        expect(res.body).toEqual({ status: 'error', error: 'Conflict', message: 'Poll 7 is closed for votes' });
        expect(logged).toEqual([]);
      });
    });
  });
});
