import {
  All,
  type ArgumentsHost,
  BadRequestException,
  Body,
  Catch,
  Controller,
  type ExceptionFilter,
  Get,
  HttpException,
  InternalServerErrorException,
  NotFoundException,
  Post,
  Redirect,
  UnauthorizedException,
  UseFilters,
  UseGuards,
  ValidationPipe,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { IsString } from 'class-validator';
import {
  Ajax,
  AjaxAuthGuard,
  AjaxConfigurationError,
  AjaxCsrfGuard,
  AjaxMethodGuard,
  AjaxModule,
  type AjaxModuleOptions,
  type AjaxRequest,
  type MessageStorage,
  Messages,
  MessagesUnavailableException,
  type RequestMessages,
  RequirePost,
} from '../../lib/index.js';
import { PLATFORMS, startTestApp, type TestApp } from '../fixtures/test-app.js';

/**
 * `errorFormat: 'problem+json'`: every error the module writes is RFC 9457
 * problem details, sent as `application/problem+json`, on every path where
 * the module writes one (the filter, `@Ajax()`, unknown routes, the guards'
 * refusals even under Nest's own filter, the 503 of a lost message, the
 * fallback of a failing `errorBody`); the default format stays the module's
 * body, byte for byte.
 */

const PROBLEM_TYPE = 'application/problem+json; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';

class VoteDto {
  @IsString()
  choice!: string;
}

@Controller('problems')
class ProblemsController {
  @Get('not-found')
  notFound(): never {
    throw new NotFoundException('Poll 7 does not exist');
  }

  @Get('bare')
  bare(): never {
    throw new NotFoundException();
  }

  @Post('validated')
  validated(@Body() dto: VoteDto): object {
    return { choice: dto.choice };
  }

  @Get('flash')
  flash(@Messages() messages: RequestMessages): never {
    messages.warning('Check the form.');
    throw new BadRequestException('Name is required');
  }

  @Get('members')
  members(): never {
    throw new BadRequestException({ code: 'E_NAME', message: 'Name is required', field: 'name' });
  }

  @Get('collisions')
  collisions(@Messages() messages: RequestMessages): never {
    messages.warning('Check the form.');
    throw new BadRequestException({
      type: 'out-of-credit',
      title: 'Mine',
      status: 999,
      instance: '/forged',
      errors: ['forged'],
      messages: ['forged'],
      message: 'Name is required',
      statusCode: 999,
      stack: '    at secret (/srv/app.js:1:1)',
      code: 'E_NAME',
    });
  }

  @Get('typed')
  typed(): never {
    throw new HttpException(
      { type: 'https://example.com/probs/out-of-credit', title: 'You do not have enough credit.', detail: 'Your balance is 30, but that costs 50.', balance: 30 },
      403,
    );
  }

  @Get('server')
  server(): never {
    throw new InternalServerErrorException({ type: 'https://example.com/probs/db', code: 'DB_DOWN', host: 'db-7.internal', message: 'replica refused' });
  }

  @Get('bug')
  bug(): never {
    throw new Error('db password is hunter2');
  }

  @Get('unauthorized')
  unauthorized(): never {
    throw new UnauthorizedException();
  }

  @Get('storage-down')
  storageDown(): never {
    throw new MessagesUnavailableException('Redis did not answer RPUSH within 1000 ms');
  }

  @Post('post-only')
  postOnly(): object {
    return { posted: true };
  }
}

@Controller('ajax')
class AjaxController {
  @Get('private')
  @Ajax({ loginRequired: true })
  private(): object {
    return { secret: true };
  }

  @All('post-only')
  @Ajax({ requirePost: true })
  postOnly(): object {
    return { posted: true };
  }

  @Post('vote')
  @Ajax()
  vote(): object {
    return { voted: true };
  }

  @Get('missing')
  @Ajax()
  missing(): never {
    throw new NotFoundException('No such poll.');
  }
}

/** A message storage whose writes fail, as Redis does when it is down; nothing is pending. */
class DownStorage implements MessageStorage {
  add(): Promise<void> {
    return Promise.reject(new MessagesUnavailableException('the store is down'));
  }

  peek(): [] {
    return [];
  }

  take(): [] {
    return [];
  }
}

@Controller('lost')
class LostMessageController {
  @Get('json')
  @Ajax()
  json(@Messages() messages: RequestMessages): object {
    messages.success('Saved.');
    return { saved: true };
  }

  @Get('redirect')
  @Redirect('/elsewhere')
  redirect(@Messages() messages: RequestMessages): void {
    messages.success('Saved.');
  }
}

@Controller('bare')
class BareGuardsController {
  @Get('private')
  @UseGuards(AjaxAuthGuard)
  private(): object {
    return { secret: true };
  }

  @All('post-only')
  @UseGuards(AjaxMethodGuard)
  @RequirePost()
  postOnly(): object {
    return { posted: true };
  }

  @Post('csrf')
  @UseGuards(AjaxCsrfGuard)
  csrf(): object {
    return { posted: true };
  }

  @Get('nest')
  nest(): never {
    throw new NotFoundException('No such poll.');
  }
}

/** An app's own filter that passes an HttpException's body on, through the adapter as Nest's does. */
@Catch(HttpException)
class PassOnFilter implements ExceptionFilter {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: HttpException, host: ArgumentsHost): void {
    this.adapterHost.httpAdapter.reply(host.switchToHttp().getResponse(), exception.getResponse(), exception.getStatus());
  }
}

@Controller('passed-on')
@UseFilters(PassOnFilter)
class PassedOnController {
  @Get()
  @UseGuards(AjaxAuthGuard)
  private(): object {
    return { secret: true };
  }
}

const validation = (app: TestApp['app']): void => void app.useGlobalPipes(new ValidationPipe());

describe.each(PLATFORMS)('on %s', (platform) => {
  describe("errorFormat: 'problem+json' with the global filter", () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ platform,
        ajax: { global: true, errorFormat: 'problem+json' },
        controllers: [ProblemsController, AjaxController, PassedOnController],
        configure: validation,
      });
    });
    afterAll(() => t.close());

    it("answers application/problem+json: type, title (the reason phrase), status, detail (the exception's message), instance (the path, no query)", async () => {
      const res = await t.http().get('/problems/not-found?token=s3cret&email=a@b.c');
      expect([res.status, res.headers['content-type']]).toEqual([404, PROBLEM_TYPE]);
      expect(res.text).toBe('{"type":"about:blank","title":"Not Found","status":404,"detail":"Poll 7 does not exist","instance":"/problems/not-found"}');
    });

    it('leaves detail out when the exception says no more than the title', async () => {
      const res = await t.http().get('/problems/bare');
      expect([res.status, res.body]).toEqual([404, { type: 'about:blank', title: 'Not Found', status: 404, instance: '/problems/bare' }]);
    });

    it("gives ValidationPipe's messages as errors", async () => {
      const res = await t.http().post('/problems/validated').send({ choice: 3 });
      expect([res.status, res.headers['content-type']]).toEqual([400, PROBLEM_TYPE]);
      expect(res.body).toEqual({ type: 'about:blank', title: 'Bad Request', status: 400, instance: '/problems/validated', errors: ['choice must be a string'] });
    });

    it('carries the pending messages as messages, last', async () => {
      const res = await t.http().get('/problems/flash');
      expect(res.text).toBe(
        '{"type":"about:blank","title":"Bad Request","status":400,"detail":"Name is required","instance":"/problems/flash","messages":[{"message":"Check the form.","tags":"warning"}]}',
      );
      expect(res.headers['cache-control']).toBe('private, no-store');
    });

    it("keeps the app's exception members as extension members, after the RFC's", async () => {
      const res = await t.http().get('/problems/members');
      expect(res.text).toBe('{"type":"about:blank","title":"Bad Request","status":400,"detail":"Name is required","instance":"/problems/members","code":"E_NAME","field":"name"}');
    });

    it("lets the RFC's and the module's keys win over colliding members; statusCode and stack never appear", async () => {
      const res = await t.http().get('/problems/collisions');
      expect(res.body).toEqual({
        type: 'about:blank',
        title: 'Bad Request',
        status: 400,
        detail: 'Name is required',
        instance: '/problems/collisions',
        code: 'E_NAME',
        messages: [{ message: 'Check the form.', tags: 'warning' }],
      });
      expect(res.text).not.toContain('secret');
    });

    it("takes type from a 4xx exception that names its problem type with an absolute URI, and an RFC-shaped exception's detail", async () => {
      const res = await t.http().get('/problems/typed');
      expect([res.status, res.headers['content-type']]).toEqual([403, PROBLEM_TYPE]);
      expect(res.body).toEqual({
        type: 'https://example.com/probs/out-of-credit',
        title: 'Forbidden',
        status: 403,
        detail: 'Your balance is 30, but that costs 50.',
        instance: '/problems/typed',
        balance: 30,
      });
    });

    it('says nothing of a 5xx, its type included, and nothing of an unexpected error', async () => {
      const server = await t.http().get('/problems/server');
      expect([server.status, server.headers['content-type'], server.body]).toEqual([
        500,
        PROBLEM_TYPE,
        { type: 'about:blank', title: 'Internal Server Error', status: 500, instance: '/problems/server' },
      ]);
      expect(server.text).not.toContain('db-7');
      const bug = await t.http().get('/problems/bug');
      expect([bug.status, bug.headers['content-type'], bug.body]).toEqual([
        500,
        PROBLEM_TYPE,
        { type: 'about:blank', title: 'Internal Server Error', status: 500, instance: '/problems/bug' },
      ]);
      expect(bug.text).not.toMatch(/hunter2|\bat\b/);
    });

    it('gives a 401 its WWW-Authenticate', async () => {
      const res = await t.http().get('/problems/unauthorized');
      expect([res.status, res.headers['www-authenticate'], res.headers['content-type'], res.body]).toEqual([
        401,
        'Session',
        PROBLEM_TYPE,
        { type: 'about:blank', title: 'Unauthorized', status: 401, instance: '/problems/unauthorized' },
      ]);
    });

    it('answers a lost message store with a 503', async () => {
      const res = await t.http().get('/problems/storage-down');
      expect([res.status, res.headers['content-type'], res.body]).toEqual([
        503,
        PROBLEM_TYPE,
        { type: 'about:blank', title: 'Service Unavailable', status: 503, instance: '/problems/storage-down' },
      ]);
    });

    it('answers unknown routes, leaving the messages pending', async () => {
      const agent = t.agent();
      await agent.get('/problems/flash');
      const res = await agent.get('/nowhere?q=1');
      expect([res.status, res.headers['content-type'], res.body]).toEqual([
        404,
        PROBLEM_TYPE,
        { type: 'about:blank', title: 'Not Found', status: 404, detail: 'Cannot GET /nowhere', instance: '/nowhere' },
      ]);
    });

    it('answers a known path asked with another method with 405 and its Allow', async () => {
      const res = await t.http().delete('/problems/post-only');
      expect([res.status, res.headers.allow, res.headers['content-type'], res.body]).toEqual([
        405,
        'POST',
        PROBLEM_TYPE,
        { type: 'about:blank', title: 'Method Not Allowed', status: 405, instance: '/problems/post-only' },
      ]);
    });

    it("answers @Ajax()'s 401, 405 and 403 (with why as detail)", async () => {
      const unauthorized = await t.http().get('/ajax/private');
      expect([unauthorized.status, unauthorized.headers['www-authenticate'], unauthorized.headers['content-type'], unauthorized.body]).toEqual([
        401,
        'Session',
        PROBLEM_TYPE,
        { type: 'about:blank', title: 'Unauthorized', status: 401, instance: '/ajax/private' },
      ]);
      const wrongMethod = await t.http().get('/ajax/post-only');
      expect([wrongMethod.status, wrongMethod.headers.allow, wrongMethod.headers['content-type'], wrongMethod.body]).toEqual([
        405,
        'POST',
        PROBLEM_TYPE,
        { type: 'about:blank', title: 'Method Not Allowed', status: 405, instance: '/ajax/post-only' },
      ]);
      const crossSite = await t.http().post('/ajax/vote').set('Sec-Fetch-Site', 'cross-site');
      expect([crossSite.status, crossSite.headers['content-type']]).toEqual([403, PROBLEM_TYPE]);
      expect(crossSite.body).toEqual({ type: 'about:blank', title: 'Forbidden', status: 403, detail: expect.stringMatching(/cross-site/i), instance: '/ajax/vote' });
    });

    it("labels a guard's refusal application/problem+json when an app's own filter passes it on", async () => {
      const res = await t.http().get('/passed-on');
      expect([res.status, res.headers['www-authenticate'], res.headers['content-type'], res.body]).toEqual([
        401,
        'Session',
        PROBLEM_TYPE,
        { type: 'about:blank', title: 'Unauthorized', status: 401, instance: '/passed-on' },
      ]);
    });
  });

  describe("errorFormat: 'problem+json' without the global filter", () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ platform, ajax: { errorFormat: 'problem+json' }, controllers: [AjaxController, BareGuardsController] });
    });
    afterAll(() => t.close());

    it('answers the errors of @Ajax() routes, which the filter renders', async () => {
      const res = await t.http().get('/ajax/missing');
      expect([res.status, res.headers['content-type'], res.body]).toEqual([
        404,
        PROBLEM_TYPE,
        { type: 'about:blank', title: 'Not Found', status: 404, detail: 'No such poll.', instance: '/ajax/missing' },
      ]);
    });

    it("makes the guards' refusals problem details even where Nest's own filter renders them", async () => {
      const unauthorized = await t.http().get('/bare/private?next=/account');
      expect([unauthorized.status, unauthorized.headers['www-authenticate'], unauthorized.headers['content-type'], unauthorized.text]).toEqual([
        401,
        'Session',
        PROBLEM_TYPE,
        '{"type":"about:blank","title":"Unauthorized","status":401,"instance":"/bare/private"}',
      ]);
      const wrongMethod = await t.http().get('/bare/post-only');
      expect([wrongMethod.status, wrongMethod.headers.allow, wrongMethod.headers['content-type'], wrongMethod.body]).toEqual([
        405,
        'POST',
        PROBLEM_TYPE,
        { type: 'about:blank', title: 'Method Not Allowed', status: 405, instance: '/bare/post-only' },
      ]);
      const crossSite = await t.http().post('/bare/csrf').set('Sec-Fetch-Site', 'cross-site');
      expect([crossSite.status, crossSite.headers['content-type']]).toEqual([403, PROBLEM_TYPE]);
      expect(crossSite.body).toEqual({ type: 'about:blank', title: 'Forbidden', status: 403, detail: expect.stringMatching(/cross-site/i), instance: '/bare/csrf' });
    });

    it("leaves what Nest's own filter renders of the app's exceptions as it is (control)", async () => {
      const res = await t.http().get('/bare/nest');
      expect([res.status, res.headers['content-type'], res.body]).toEqual([404, JSON_TYPE, { message: 'No such poll.', error: 'Not Found', statusCode: 404 }]);
    });
  });

  describe("errorFormat: 'problem+json' under a global prefix", () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ platform,
        ajax: { global: true, errorFormat: 'problem+json' },
        controllers: [ProblemsController],
        configure: (app) => app.setGlobalPrefix('api'),
      });
    });
    afterAll(() => t.close());

    it.each(['/nowhere', '/api/nowhere'])('answers GET %s, inside the prefix or outside it', async (path) => {
      const res = await t.http().get(path);
      expect([res.status, res.headers['content-type'], res.body]).toEqual([
        404,
        PROBLEM_TYPE,
        { type: 'about:blank', title: 'Not Found', status: 404, detail: `Cannot GET ${path}`, instance: path },
      ]);
    });
  });

  describe("errorFormat: 'problem+json' when a message cannot be stored", () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ platform,
        ajax: { global: true, errorFormat: 'problem+json', messages: { storage: new DownStorage() } },
        controllers: [LostMessageController],
      });
    });
    afterAll(() => t.close());

    it.each(['/lost/json', '/lost/redirect'])('answers GET %s with the 503', async (path) => {
      const res = await t.http().get(path).redirects(0);
      expect([res.status, res.headers['content-type'], res.headers.location, JSON.parse(res.text)]).toEqual([
        503,
        PROBLEM_TYPE,
        undefined,
        { type: 'about:blank', title: 'Service Unavailable', status: 503, instance: path },
      ]);
    });
  });

  describe("errorFormat: 'problem+json' with errorBody", () => {
    let t: TestApp;
    const errorBody: AjaxModuleOptions['errorBody'] = (info, req: AjaxRequest) => {
      const mode = req.headers['x-mode'];
      if (mode === 'throw') throw new Error('broken formatter');
      if (mode === 'string') return 'not an object' as unknown as object;
      return { type: 'https://example.com/probs/mine', title: info.error, status: info.status, message: info.message, members: info.members };
    };
    beforeAll(async () => {
      t = await startTestApp({ platform, ajax: { global: true, errorFormat: 'problem+json', errorBody }, controllers: [ProblemsController, AjaxController] });
    });
    afterAll(() => t.close());

    it("sends errorBody's body, as application/problem+json", async () => {
      const res = await t.http().get('/problems/not-found');
      expect([res.status, res.headers['content-type'], res.body]).toEqual([
        404,
        PROBLEM_TYPE,
        { type: 'https://example.com/probs/mine', title: 'Not found', status: 404, message: 'Poll 7 does not exist' },
      ]);
    });

    it("gives errorBody a guard's refusal as it gives it the default format's: why as the message, no members", async () => {
      const res = await t.http().post('/ajax/vote').set('Sec-Fetch-Site', 'cross-site');
      expect([res.status, res.headers['content-type']]).toEqual([403, PROBLEM_TYPE]);
      expect(res.body).toEqual({ type: 'https://example.com/probs/mine', title: 'Forbidden', status: 403, message: expect.stringMatching(/cross-site/i) });
    });

    it.each(['throw', 'string'])('falls back to the problem details when errorBody fails (%s), with the messages', async (mode) => {
      const res = await t.http().get('/problems/flash').set('X-Mode', mode);
      expect([res.status, res.headers['content-type'], res.body]).toEqual([
        400,
        PROBLEM_TYPE,
        {
          type: 'about:blank',
          title: 'Bad Request',
          status: 400,
          detail: 'Name is required',
          instance: '/problems/flash',
          messages: [{ message: 'Check the form.', tags: 'warning' }],
        },
      ]);
    });
  });

  describe.each<[string, AjaxModuleOptions]>([
    ['no errorFormat', { global: true }],
    ["errorFormat: 'ajax'", { global: true, errorFormat: 'ajax' }],
  ])('%s: the default body, byte for byte', (_name, ajax) => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ platform, ajax, controllers: [ProblemsController, AjaxController, BareGuardsController], configure: validation });
    });
    afterAll(() => t.close());

    it.each<[string, string, number, string]>([
      ['get', '/problems/not-found?q=1', 404, '{"status":"error","error":"Not found","message":"Poll 7 does not exist"}'],
      ['get', '/problems/members', 400, '{"status":"error","error":"Bad request","message":"Name is required","code":"E_NAME","field":"name"}'],
      ['get', '/problems/flash', 400, '{"status":"error","error":"Bad request","message":"Name is required","messages":[{"message":"Check the form.","tags":"warning"}]}'],
      ['get', '/problems/typed', 403, '{"status":"error","error":"Forbidden","type":"https://example.com/probs/out-of-credit","title":"You do not have enough credit.","detail":"Your balance is 30, but that costs 50.","balance":30}'],
      ['get', '/problems/server', 500, '{"status":"error","error":"Internal server error"}'],
      ['get', '/problems/storage-down', 503, '{"status":"error","error":"Service unavailable"}'],
      ['get', '/ajax/private', 401, '{"status":"error","error":"Unauthorized"}'],
      ['get', '/bare/post-only', 405, '{"status":"error","error":"Method not allowed"}'],
      ['delete', '/problems/post-only', 405, '{"status":"error","error":"Method not allowed"}'],
      ['get', '/nowhere', 404, '{"status":"error","error":"Not found","message":"Cannot GET /nowhere"}'],
    ])('%s %s', async (method, path, status, text) => {
      const res = await t.http()[method as 'get'](path);
      expect([res.status, res.headers['content-type'], res.text]).toEqual([status, JSON_TYPE, text]);
    });

    it('validation', async () => {
      const res = await t.http().post('/problems/validated').send({ choice: 3 });
      expect([res.status, res.headers['content-type'], res.text]).toEqual([400, JSON_TYPE, '{"status":"error","error":"Bad request","message":["choice must be a string"]}']);
    });
  });
});

describe('the errorFormat option', () => {
  it.each([['problem'], ['application/problem+json'], [true]])('refuses %j at start-up, naming the option and what it takes', (errorFormat) => {
    const start = (): unknown => AjaxModule.forRoot({ errorFormat } as never);
    expect(start).toThrow(AjaxConfigurationError);
    expect(start).toThrow(/AjaxModule option "errorFormat" must be 'ajax' \(the module's error body\) or 'problem\+json' \(RFC 9457\); got /);
  });

  it("is one of forRootAsync()'s factory options, checked when the app starts", async () => {
    const bad = Test.createTestingModule({ imports: [AjaxModule.forRootAsync({ useFactory: () => ({ errorFormat: 'problem' as never }) })] }).compile();
    await expect(bad).rejects.toThrow(/forRootAsync\(\)'s factory option "errorFormat" must be 'ajax'/);
    const t = await startTestApp({
      ajax: null,
      imports: [AjaxModule.forRootAsync({ global: true, useFactory: async () => ({ errorFormat: 'problem+json' as const }) })],
      controllers: [ProblemsController],
    });
    try {
      const res = await t.http().get('/problems/bare');
      expect([res.status, res.headers['content-type'], res.body]).toEqual([404, PROBLEM_TYPE, { type: 'about:blank', title: 'Not Found', status: 404, instance: '/problems/bare' }]);
    } finally {
      await t.close();
    }
  });
});
