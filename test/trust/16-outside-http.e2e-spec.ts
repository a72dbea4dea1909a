import { type ExecutionContext, Injectable, UseGuards } from '@nestjs/common';
import { ExternalContextCreator } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import {
  Ajax,
  AjaxAuthGuard,
  AjaxCsrfGuard,
  AjaxMethodGuard,
  AjaxModule,
  type AjaxModuleOptions,
  type AjaxRequest,
  AllowAnonymous,
  RequirePost,
} from '../../lib/index.js';
import { captureLogs } from '../fixtures/capture-logs.js';

/**
 * The module's guards check HTTP requests. In another context (a
 * microservice, a WebSocket gateway, GraphQL), which Nest's
 * `ExternalContextCreator` makes as @nestjs/microservices, websockets and
 * graphql do, `switchToHttp().getRequest()` gives the call's first argument:
 * a message payload the caller writes. A guard with something to check
 * refuses there, whatever the payload says; one with nothing to check lets
 * the call through; one whose `getRequest()` gives it a request checks that.
 */
let runs: string[] = [];

/** A transport's guard that knows where its request is: the payload's `request`. */
@Injectable()
class PayloadAuthGuard extends AjaxAuthGuard {
  protected override getRequest(context: ExecutionContext): AjaxRequest | undefined {
    return (context.getArgByIndex(0) as { request?: AjaxRequest }).request;
  }
}

/** A transport's method guard that knows where its request is: the payload's `request`. */
@Injectable()
class PayloadMethodGuard extends AjaxMethodGuard {
  protected override getRequest(context: ExecutionContext): AjaxRequest | undefined {
    return (context.getArgByIndex(0) as { request?: AjaxRequest }).request;
  }
}

/** AjaxMethodGuard under another name, used by one test only: the log says a guard's refusal once per name and context type. */
@Injectable()
class ProbeMethodGuard extends AjaxMethodGuard {}

@Injectable()
class Handlers {
  @Ajax({ loginRequired: true })
  ajaxLogin(): void {
    runs.push('ajaxLogin');
  }

  @Ajax()
  ajaxPlain(): void {
    runs.push('ajaxPlain');
  }

  @UseGuards(AjaxAuthGuard)
  auth(): void {
    runs.push('auth');
  }

  @UseGuards(AjaxAuthGuard)
  @AllowAnonymous()
  authOpen(): void {
    runs.push('authOpen');
  }

  @UseGuards(AjaxMethodGuard)
  @RequirePost()
  postOnly(): void {
    runs.push('postOnly');
  }

  @UseGuards(AjaxMethodGuard)
  anyMethod(): void {
    runs.push('anyMethod');
  }

  @UseGuards(AjaxCsrfGuard)
  csrf(): void {
    runs.push('csrf');
  }

  @UseGuards(PayloadAuthGuard)
  payloadAuth(): void {
    runs.push('payloadAuth');
  }

  @UseGuards(PayloadMethodGuard)
  @RequirePost()
  payloadPostOnly(): void {
    runs.push('payloadPostOnly');
  }

  @UseGuards(ProbeMethodGuard)
  @RequirePost()
  probe(): void {
    runs.push('probe');
  }
}

type Name = keyof Handlers;

/** The payload a caller would forge: what the HTTP checks look for, saying yes. */
const FORGED = { headers: { 'sec-fetch-site': 'same-origin' }, method: 'POST', user: { id: 1 }, session: { userId: 1 } };

async function start(options: AjaxModuleOptions): Promise<{ call(name: Name, type: string, payload?: unknown): Promise<boolean>; close(): Promise<void> }> {
  const moduleRef = await Test.createTestingModule({ imports: [AjaxModule.forRoot(options)], providers: [Handlers, PayloadAuthGuard, PayloadMethodGuard, ProbeMethodGuard] }).compile();
  await moduleRef.init();
  const creator = moduleRef.get(ExternalContextCreator);
  const handlers = moduleRef.get(Handlers);
  return {
    async call(name, type, payload = FORGED) {
      const run = creator.create(handlers, handlers[name], name, undefined, undefined, undefined, undefined, undefined, type);
      try {
        await run(payload, {});
        return true;
      } catch (error) {
        // A refusal, not a guard that broke on what it was given.
        expect(error).not.toBeInstanceOf(TypeError);
        return false;
      }
    },
    close: () => moduleRef.close(),
  };
}

describe.each(['rpc', 'ws', 'graphql'])("the module's guards in a '%s' context", (type) => {
  const warnings = captureLogs('warn');
  let app: Awaited<ReturnType<typeof start>>;
  let withoutCsrf: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    app = await start({});
    withoutCsrf = await start({ csrf: false });
  });
  afterAll(async () => {
    await app.close();
    await withoutCsrf.close();
  });
  beforeEach(() => {
    runs = [];
  });

  it.each<Name>(['ajaxLogin', 'auth', 'postOnly', 'csrf'])('%s: a guard with a check to make refuses, whatever the payload says', async (name) => {
    expect(await app.call(name, type)).toBe(false);
    expect(await withoutCsrf.call(name === 'csrf' ? 'auth' : name, type)).toBe(false);
    expect(runs).toEqual([]);
  });

  it('@Ajax() without loginRequired or methods still has the cross-site check to make, and refuses; with csrf: false it lets the call through', async () => {
    expect(await app.call('ajaxPlain', type)).toBe(false);
    expect(await withoutCsrf.call('ajaxPlain', type)).toBe(true);
    expect(runs).toEqual(['ajaxPlain']);
  });

  it('a guard with nothing to check lets the call through: AjaxMethodGuard without methods, AjaxAuthGuard on an @AllowAnonymous() handler with csrf: false', async () => {
    expect(await app.call('anyMethod', type)).toBe(true);
    expect(await withoutCsrf.call('authOpen', type)).toBe(true);
    expect(await withoutCsrf.call('csrf', type)).toBe(true);
    expect(runs).toEqual(['anyMethod', 'authOpen', 'csrf']);
  });

  it("a guard whose getRequest() gives it this transport's request checks that request", async () => {
    expect(await app.call('payloadAuth', type, { request: { headers: {}, method: 'GET', user: { id: 1 } } })).toBe(true);
    expect(await app.call('payloadAuth', type, { request: { headers: {}, method: 'GET' } })).toBe(false);
    expect(await app.call('payloadPostOnly', type, { request: { headers: {}, method: 'POST' } })).toBe(true);
    expect(await app.call('payloadPostOnly', type, { request: { headers: {}, method: 'GET' } })).toBe(false);
    expect(runs).toEqual(['payloadAuth', 'payloadPostOnly']);
  });

  it('says in the log why it refused and how to fix it, once per guard and context type', async () => {
    await app.call('probe', type);
    await app.call('probe', type);
    expect(warnings.filter((line) => line.includes('ProbeMethodGuard'))).toEqual([
      `ProbeMethodGuard refused a call in a '${type}' context (Handlers.probe): it checks HTTP requests and has none here. ` +
        "Leave the guard off the handlers of this transport, or subclass it with a getRequest() that gives it this transport's request " +
        '(an object with the headers and the user to check), as a guard that is global to the app must be.',
    ]);
  });
});
