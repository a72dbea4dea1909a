import SwaggerParser from '@apidevtools/swagger-parser';
import { Controller, Delete, Get, HttpCode, NotFoundException, Param, Post, Put } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiProperty,
  ApiUnauthorizedResponse,
  DocumentBuilder,
  getSchemaPath,
  type OpenAPIObject,
  SwaggerModule,
} from '@nestjs/swagger';
import { createRequire } from 'node:module';
import { Ajax, AjaxConfigurationError, Messages, type RequestMessages } from '../../lib/index.js';
import { AjaxErrorBody, AjaxMessage, AjaxProblemDetails, ApiAjaxResponses } from '../../lib/swagger/index.js';
import { NEST_MAJOR } from '../fixtures/nest-version.js';
import { nonConformance, type ResolvedSchema } from '../fixtures/openapi-conformance.js';
import { PLATFORMS, startTestApp, type TestApp } from '../fixtures/test-app.js';

class VoteResult {
  @ApiProperty({ type: 'integer' })
  votes!: number;
}

class Profile {
  @ApiProperty()
  name!: string;
}

/** `ApiAjaxResponses()` on methods, beside the `@Ajax()` it documents. */
@Controller('polls')
class PollsController {
  @Post(':id/vote')
  @Ajax({ loginRequired: true, requirePost: true })
  @ApiAjaxResponses({ loginRequired: true, requirePost: true })
  @ApiCreatedResponse({ type: VoteResult })
  vote(@Param('id') id: string, @Messages() messages: RequestMessages): VoteResult {
    if (id !== '1') throw new NotFoundException(`Poll ${id} does not exist.`);
    messages.success('Vote recorded.');
    return { votes: 1 };
  }

  @Get(':id/results')
  @Ajax({ requireGet: true })
  @ApiAjaxResponses({ requireGet: true })
  @ApiOkResponse({ schema: { type: 'object', properties: { votes: { type: 'integer' } } } })
  results(@Param('id') id: string): object {
    return { poll: id, votes: 1 };
  }

  @Get()
  @Ajax()
  @ApiAjaxResponses()
  @ApiOkResponse({ type: [VoteResult] })
  list(): VoteResult[] {
    return [];
  }

  @Put(':id')
  @Ajax({ methods: ['PUT', 'PATCH'] })
  @ApiAjaxResponses({ methods: ['PUT', 'PATCH'] })
  edit(@Param('id') id: string): object {
    return { edited: id };
  }

  @Delete(':id')
  @Ajax()
  @ApiAjaxResponses()
  remove(@Param('id') id: string): never {
    throw new Error(`Poll ${id} could not be removed: the database is away.`);
  }
}

/** `ApiAjaxResponses()` on a controller, with `@Ajax()` there too; a route's own options win one by one. */
@Controller('account')
@Ajax({ loginRequired: true })
@ApiAjaxResponses({ loginRequired: true })
class AccountController {
  @Get('profile')
  @ApiOkResponse({ type: Profile })
  profile(): Profile {
    return { name: 'Ada' };
  }

  @Get('sessions')
  // Applied before @Get(), it cannot tell a GET route: its controller's ApiAjaxResponses() can.
  @ApiAjaxResponses({ errorFormat: 'ajax' })
  @ApiOkResponse({ schema: { type: 'array', items: { type: 'string' } } })
  sessions(): string[] {
    return [];
  }

  @Post('logout')
  @HttpCode(200)
  @Ajax({ loginRequired: false })
  @ApiAjaxResponses({ loginRequired: false })
  @ApiOkResponse({ description: 'Signed out.' })
  logout(): object {
    return {};
  }

  @Put('email')
  @Ajax({ methods: ['PUT'] })
  @ApiAjaxResponses({ methods: ['PUT'] })
  email(): object {
    return {};
  }

  @Post('password')
  @Ajax({ requirePost: true })
  @ApiAjaxResponses({ requirePost: true })
  @ApiUnauthorizedResponse({ description: 'Sign in first.' })
  @ApiOkResponse({ schema: { type: 'object', properties: { messages: { type: 'array', items: { $ref: getSchemaPath(AjaxMessage) } } } } })
  @ApiExtraModels(AjaxMessage)
  password(): object {
    return {};
  }
}

/** An app answering RFC 9457 problem details (`errorFormat: 'problem+json'`), and the models used by hand. */
@Controller('problems')
@ApiAjaxResponses({ loginRequired: true, errorFormat: 'problem+json' })
class ProblemsController {
  @Put(':id')
  @ApiOkResponse({ type: Profile })
  @ApiConflictResponse({ content: { 'application/problem+json': { schema: { $ref: getSchemaPath(AjaxProblemDetails) } } } })
  @ApiExtraModels(AjaxProblemDetails)
  update(@Param('id') id: string): object {
    return { id };
  }

  @Post('legacy')
  @ApiAjaxResponses({ errorFormat: 'ajax' })
  @ApiConflictResponse({ type: AjaxErrorBody })
  legacy(): object {
    return {};
  }
}

type Operation = { responses: Record<string, { headers?: Record<string, { schema: { example?: string } }>; content?: Record<string, { schema: ResolvedSchema }>; description: string }> };

const SWAGGER_MAJOR = Number((createRequire(import.meta.url)('@nestjs/swagger/package.json') as { version: string }).version.split('.')[0]);
const SIGNED_IN = { 'x-test-user': 'ada' };
const CROSS_SITE = { 'sec-fetch-site': 'cross-site', origin: 'https://elsewhere.example' };

describe.each(PLATFORMS)('the OpenAPI document of an app with ApiAjaxResponses(), on %s', (platform) => {
  let t: TestApp;
  let document: OpenAPIObject;
  /** The document with every $ref resolved, to check the app's answers against. */
  let resolved: OpenAPIObject;
  const operation = (path: string, method: string, doc = document): Operation => (doc.paths[path] as Record<string, Operation>)[method];
  const responses = (path: string, method: string): Operation['responses'] => operation(path, method).responses;
  /** The documented schema of an answer, and whether the answer conforms to it. */
  const documented = (path: string, method: string, status: number, body: unknown, mediaType = 'application/json'): string | undefined => {
    const answers = operation(path, method, resolved).responses;
    const entry = answers[status] ?? answers[`${String(status)[0]}XX`];
    const schema = entry?.content?.[mediaType]?.schema;
    return schema ? nonConformance(body, schema) : `no ${mediaType} answer documented for ${status}`;
  };

  beforeAll(async () => {
    t = await startTestApp({
      platform,
      ajax: { applyToEveryRoute: true },
      controllers: [PollsController, AccountController, ProblemsController],
      eachRequest: (req) => {
        if (req.headers['x-test-user']) req.user = { id: req.headers['x-test-user'] };
      },
    });
    document = SwaggerModule.createDocument(t.app, new DocumentBuilder().setTitle('Polls').setVersion('1.0').build());
    resolved = (await SwaggerParser.dereference(structuredClone(document) as never)) as unknown as OpenAPIObject;
  });

  afterAll(() => t.close());

  it('is built by the @nestjs/swagger of the Nest the app runs on (11.x for Nest 11, 12.x for Nest 12)', () => {
    expect(SWAGGER_MAJOR).toBe(NEST_MAJOR);
  });

  it('is a valid OpenAPI 3 document (the whole of it, against the specification schema)', async () => {
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  it('documents 401 with WWW-Authenticate where a log-in is required, as the app answers an anonymous call', async () => {
    const vote = responses('/polls/{id}/vote', 'post');
    expect(vote[401]).toMatchObject({ headers: { 'WWW-Authenticate': { schema: { type: 'string' } } }, content: { 'application/json': { schema: { $ref: getSchemaPath(AjaxErrorBody) } } } });
    expect(responses('/account/profile', 'get')[401]).toBeDefined();
    for (const [path, method] of [['/polls/{id}/results', 'get'], ['/polls', 'get'], ['/account/logout', 'post']]) expect(responses(path, method)[401]).toBeUndefined();

    const res = await t.http().post('/polls/1/vote');
    expect([res.status, res.headers['www-authenticate']]).toEqual([401, 'Session']);
    expect(documented('/polls/{id}/vote', 'post', 401, res.body)).toBeUndefined();
  });

  it('documents 403 for cross-site requests on routes that take unsafe methods, not on GET-only ones, as the app answers one', async () => {
    for (const [path, method] of [['/polls/{id}/vote', 'post'], ['/polls/{id}', 'put'], ['/polls/{id}', 'delete'], ['/account/logout', 'post']]) {
      expect([path, method, responses(path, method)[403]?.content]).toEqual([path, method, { 'application/json': expect.objectContaining({ schema: { $ref: getSchemaPath(AjaxErrorBody) } }) }]);
    }
    // requireGet, and a @Get() route its controller's ApiAjaxResponses() sees.
    expect(responses('/polls/{id}/results', 'get')[403]).toBeUndefined();
    expect(responses('/account/profile', 'get')[403]).toBeUndefined();
    expect(responses('/account/sessions', 'get')[403]).toBeUndefined();

    const res = await t.http().post('/polls/1/vote').set(CROSS_SITE);
    expect(res.status).toBe(403);
    expect(documented('/polls/{id}/vote', 'post', 403, res.body)).toBeUndefined();
  });

  it('documents 405 with Allow where the methods are restricted, as the app answers another method', async () => {
    expect(responses('/polls/{id}/vote', 'post')[405]).toMatchObject({ headers: { Allow: { schema: { type: 'string', example: 'POST' } } } });
    expect(responses('/polls/{id}/results', 'get')[405]).toMatchObject({ headers: { Allow: { schema: { example: 'GET, HEAD' } } } });
    expect(responses('/polls/{id}', 'put')[405]).toMatchObject({ headers: { Allow: { schema: { example: 'PUT, PATCH' } } } });
    expect(responses('/account/password', 'post')[405]).toMatchObject({ headers: { Allow: { schema: { example: 'POST' } } } });
    for (const [path, method] of [['/polls', 'get'], ['/polls/{id}', 'delete'], ['/account/profile', 'get']]) expect(responses(path, method)[405]).toBeUndefined();

    const res = await t.http().get('/polls/1/vote').set(SIGNED_IN);
    expect([res.status, res.headers.allow]).toEqual([405, 'POST']);
    expect(documented('/polls/{id}/vote', 'post', 405, res.body)).toBeUndefined();
  });

  it('documents every other 4xx and 5xx with the error body, under the range keys 4XX and 5XX, as the app answers them', async () => {
    const errorBody = { 'application/json': { schema: { $ref: getSchemaPath(AjaxErrorBody) } } };
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, { responses: answers }] of Object.entries(methods as Record<string, Operation>)) {
        expect([path, method, answers['4XX']?.content, answers['5XX']?.content]).toEqual([path, method, ...(path.startsWith('/problems') && path !== '/problems/legacy' ? [expect.anything(), expect.anything()] : [errorBody, errorBody])]);
      }
    }
    expect(document.components?.schemas?.AjaxErrorBody).toMatchObject({ required: ['status', 'error'], properties: { status: { enum: ['error'] }, messages: { items: { $ref: getSchemaPath(AjaxMessage) } } } });

    const missing = await t.http().post('/polls/2/vote').set(SIGNED_IN);
    expect(missing.body).toEqual({ status: 'error', error: 'Not found', message: 'Poll 2 does not exist.' });
    expect(documented('/polls/{id}/vote', 'post', 404, missing.body)).toBeUndefined();
    const failed = await t.http().delete('/polls/1');
    expect(failed.status).toBe(500);
    expect(documented('/polls/{id}', 'delete', 500, failed.body)).toBeUndefined();
  });

  it('adds the optional messages to the success bodies documented as objects (allOf), and answers them so', async () => {
    const member = { type: 'object', properties: { messages: expect.objectContaining({ type: 'array', items: { $ref: getSchemaPath(AjaxMessage) } }) } };
    expect(responses('/polls/{id}/vote', 'post')[201].content?.['application/json'].schema).toEqual({ allOf: [{ $ref: getSchemaPath(VoteResult) }, member] });
    expect(responses('/polls/{id}/results', 'get')[200].content?.['application/json'].schema).toEqual({
      allOf: [{ type: 'object', properties: { votes: { type: 'integer' } } }, member],
    });
    expect(responses('/account/profile', 'get')[200].content?.['application/json'].schema).toEqual({ allOf: [{ $ref: getSchemaPath(Profile) }, member] });

    const vote = await t.http().post('/polls/1/vote').set(SIGNED_IN);
    expect(vote.status).toBe(201);
    expect(vote.body).toEqual({ votes: 1, messages: [{ message: 'Vote recorded.', tags: 'success' }] });
    expect(documented('/polls/{id}/vote', 'post', 201, vote.body)).toBeUndefined();
    expect(documented('/polls/{id}/vote', 'post', 201, { votes: 1, messages: [{ message: 'Vote recorded.' }] })).toBe('body.messages[0].tags is missing');
  });

  it('leaves success bodies that cannot carry messages, or already declare them, as they are; without any, documents a 2XX with the messages alone', () => {
    expect(responses('/polls', 'get')[200].content?.['application/json'].schema).toEqual({ type: 'array', items: { $ref: getSchemaPath(VoteResult) } });
    expect(responses('/account/sessions', 'get')[200].content?.['application/json'].schema).toEqual({ type: 'array', items: { type: 'string' } });
    expect(responses('/account/logout', 'post')[200]).toEqual({ description: 'Signed out.' });
    expect(responses('/account/password', 'post')[200].content?.['application/json'].schema).toEqual({
      type: 'object',
      properties: { messages: { type: 'array', items: { $ref: getSchemaPath(AjaxMessage) } } },
    });
    for (const [path, method] of [['/polls/{id}', 'put'], ['/polls/{id}', 'delete']]) {
      expect(responses(path, method)['2XX'].content?.['application/json'].schema).toMatchObject({ type: 'object', properties: { messages: { type: 'array' } } });
    }
    expect(responses('/polls/{id}/vote', 'post')['2XX']).toBeUndefined();
  });

  it('keeps what the app documents itself for a status, and a route\'s own options over its controller\'s', () => {
    // The controller requires a log-in; the route documents its own 401.
    expect(responses('/account/password', 'post')[401]).toEqual({ description: 'Sign in first.' });
    // The route lets anonymous visitors in, as its @Ajax() does.
    expect(responses('/account/logout', 'post')[401]).toBeUndefined();
    // The route restricts the methods; the log-in its controller requires still holds.
    expect(responses('/account/email', 'put')).toMatchObject({ 401: { headers: { 'WWW-Authenticate': expect.anything() } }, 405: { headers: { Allow: { schema: { example: 'PUT' } } } } });
    expect(responses('/problems/legacy', 'post')[409].content?.['application/json'].schema).toEqual({ $ref: getSchemaPath(AjaxErrorBody) });
  });

  it("documents errorFormat 'problem+json' as application/problem+json with the problem details schema", () => {
    const problem = { 'application/problem+json': expect.objectContaining({ schema: { $ref: getSchemaPath(AjaxProblemDetails) } }) };
    const update = responses('/problems/{id}', 'put');
    for (const status of ['401', '403', '409', '4XX', '5XX']) expect([status, update[status].content]).toEqual([status, problem]);
    expect(update[401].content?.['application/problem+json']).toMatchObject({ example: { type: 'about:blank', title: 'Unauthorized', status: 401 } });
    // A route's own errorFormat wins over its controller's.
    expect(responses('/problems/legacy', 'post')['4XX'].content).toEqual({ 'application/json': { schema: { $ref: getSchemaPath(AjaxErrorBody) } } });
    expect(responses('/problems/legacy', 'post')[401].content).toEqual({ 'application/json': expect.objectContaining({ schema: { $ref: getSchemaPath(AjaxErrorBody) } }) });
    expect(document.components?.schemas?.AjaxProblemDetails).toMatchObject({
      required: ['type', 'title', 'status'],
      properties: { status: { type: 'integer' }, errors: { type: 'array' }, messages: { items: { $ref: getSchemaPath(AjaxMessage) } } },
    });
  });
});

describe('ApiAjaxResponses() options', () => {
  it.each([
    [() => ApiAjaxResponses({ loginRequierd: true } as never), /@ApiAjaxResponses\(\) has no option "loginRequierd"\. Known options: loginRequired, requirePost, requireGet, methods, errorFormat\./],
    [() => ApiAjaxResponses({ requirePost: true, methods: ['PUT'] }), /@ApiAjaxResponses\(\) options requirePost and methods cannot be combined/],
    [() => ApiAjaxResponses({ methods: [] }), /@ApiAjaxResponses\(\) needs at least one method/],
    [() => ApiAjaxResponses({ methods: ['GE T'] }), /"GE T" is not an HTTP method/],
    [() => ApiAjaxResponses({ loginRequired: 'yes' } as never), /"loginRequired" must be true or false/],
    [() => ApiAjaxResponses({ errorFormat: 'json' } as never), /option "errorFormat" must be 'ajax' or 'problem\+json'; got "json"/],
    [() => ApiAjaxResponses(null as never), /takes an options object/],
  ])('are checked as @Ajax() checks its own, when the class is decorated (%#)', (decorate, message) => {
    expect(decorate).toThrow(AjaxConfigurationError);
    expect(decorate).toThrow(message);
  });
});
