// A Nest 12 application that uses the packed library exactly as a user would:
// every public name, imported from 'nestjs-ajax' and 'nestjs-ajax/swagger'.
// It starts, runs a set of requests against itself and prints what it got as
// JSON, for the spec to check.
import 'reflect-metadata';
import { All, Body, Controller, Get, Injectable, Module, Post, Redirect, Req, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { APP_FILTER, NestFactory } from '@nestjs/core';
import session from 'express-session';
import type { AddressInfo } from 'node:net';
import {
  Ajax,
  AjaxAuthGuard,
  AjaxConfigurationError,
  AjaxCsrfGuard,
  type AjaxCsrfOptions,
  type AjaxErrorInfo,
  AjaxExceptionFilter,
  type AjaxMessage,
  type AjaxMessagesOptions,
  AjaxMessagesInterceptor,
  AjaxMethodGuard,
  AjaxModule,
  type AjaxModuleAsyncOptions,
  type AjaxModuleFactoryOptions,
  type AjaxModuleOptions,
  type AjaxOptions,
  type AjaxOptionsFactory,
  type AjaxRequest,
  AjaxResponse,
  type AjaxResponseOptions,
  AllowAnonymous,
  AllowMethods,
  type AppCookies,
  CookieMessageStorage,
  type CookieMessageStorageOptions,
  type CookieSignerLike,
  DEFAULT_LEVEL_TAGS,
  DEFAULT_PENDING_LIMITS,
  type FlashRequest,
  type JsonMessage,
  type MaybePromise,
  MessageLevel,
  Messages,
  MessagesService,
  type MessageStorage,
  MessagesUnavailableException,
  type PendingLimits,
  type PreviousSession,
  type RedisClientLike,
  RedisMessageStorage,
  type RedisMessageStorageOptions,
  type IoRedisClientLike,
  type NodeRedisClientLike,
  SessionMessageStorage,
  type RequestMessages,
  RequireGet,
  RequirePost,
} from 'nestjs-ajax';
import {
  AjaxErrorBody,
  type AjaxErrorFormat,
  AjaxMessage as AjaxMessageModel,
  AjaxProblemDetails,
  ApiAjaxResponses,
  type ApiAjaxResponsesOptions,
} from 'nestjs-ajax/swagger';

type Req = AjaxRequest & { session: Record<string, unknown> };

@Controller('polls')
@UseGuards(AjaxCsrfGuard, AjaxAuthGuard, AjaxMethodGuard)
@UseFilters(AjaxExceptionFilter)
@UseInterceptors(AjaxMessagesInterceptor)
class PollsController {
  private votes = 0;

  @All('vote')
  @RequirePost()
  vote(@Body() body: { choice?: string }, @Messages() messages: RequestMessages): AjaxResponse {
    if (body?.choice !== 'red') {
      messages.error('Invalid choice.');
      return new AjaxResponse({}, { success: false } satisfies AjaxResponseOptions);
    }
    this.votes += 1;
    messages.success('Vote recorded.');
    return new AjaxResponse({ votes: this.votes }, { success: true });
  }

  @All('results')
  @AllowAnonymous()
  @RequireGet()
  results(): object {
    return { votes: this.votes, tags: DEFAULT_LEVEL_TAGS[MessageLevel.ERROR] };
  }

  @All('edit')
  @AllowMethods('PUT', 'PATCH')
  edit(): object {
    return { edited: true };
  }
}

@Injectable()
class Greeter {
  constructor(private readonly messages: MessagesService) {}
  greet(): void {
    this.messages.success('Welcome back, ada.');
  }
}

@Controller('account')
class AccountController {
  constructor(private readonly greeter: Greeter) {}

  @Post('login')
  @Redirect('/', 302)
  login(@Req() req: Req): void {
    req.session.userId = 'ada';
    this.greeter.greet();
  }

  @Get('status')
  @Ajax({ loginRequired: true } satisfies AjaxOptions)
  async status(@Messages() messages: RequestMessages): Promise<object> {
    const pending: AjaxMessage[] = await messages.peek();
    return { signedIn: true, pending: pending.length };
  }
}

const storage: MessageStorage = new SessionMessageStorage('_messages');
const limits: PendingLimits = DEFAULT_PENDING_LIMITS;
const flash: AjaxMessagesOptions = { tags: { [MessageLevel.ERROR]: 'danger' }, storage, maxPending: limits.maxCount, maxPendingBytes: limits.maxBytes };
// Type-checked only: a storage's hook for a regenerated session.
export const carry: MessageStorage['regenerated'] = (_req: AjaxRequest, previous: PreviousSession) => void previous.sessionID;
const csrf: AjaxCsrfOptions = { trustedOrigins: ['https://admin.example.com'] };
// Type-checked only: the Redis storage's public surface.
export function redisStorage(client: RedisClientLike, options: RedisMessageStorageOptions): MessageStorage {
  return new RedisMessageStorage(client, options);
}
export type EitherClient = NodeRedisClientLike | IoRedisClientLike;
// Type-checked only: the cookie storage's public surface, and a storage's hook for the app's cookie signer.
export function cookieStorage(options: CookieMessageStorageOptions): MessageStorage {
  return new CookieMessageStorage(options);
}
export const useAppSigner: MessageStorage['useAppCookies'] = (cookies: AppCookies) => void (cookies.signer satisfies CookieSignerLike | undefined);
// Type-checked only: one declaration of each class, whether the package is reached
// by a static import (require() in the CommonJS app) or by import().
export async function sameClassesEitherWay(): Promise<SessionMessageStorage> {
  const ajax = await import('nestjs-ajax');
  return new ajax.SessionMessageStorage();
}
export type Answer = MaybePromise<void>;
// Type-checked only: a request with the flash option's req.flash().
export function flashError(req: AjaxRequest & FlashRequest): number | PromiseLike<number> {
  return req.flash('error', 'Invalid username or password.');
}

// Type-checked only: the nestjs-ajax/swagger entry's public surface.
const documented: ApiAjaxResponsesOptions = { loginRequired: true, requirePost: true, errorFormat: 'problem+json' satisfies AjaxErrorFormat };
export const documentVote: MethodDecorator & ClassDecorator = ApiAjaxResponses(documented);
export const errorModels = [AjaxErrorBody, AjaxProblemDetails, AjaxMessageModel] as const;
const options: AjaxModuleOptions = {
  isAuthenticated: (req: AjaxRequest) => Boolean((req as Req).session?.userId),
  errorBody: (info: AjaxErrorInfo) => ({ status: 'error', error: info.error, ...(info.message ? { message: info.message } : {}), ...(info.messages ? { messages: info.messages as JsonMessage[] } : {}) }),
  messages: flash,
  csrf,
};

@Injectable()
class UnusedFactory implements AjaxOptionsFactory {
  createAjaxOptions(): AjaxModuleFactoryOptions {
    return { messages: flash };
  }
}
// Type-checked only: the async form is part of the public surface too.
export const asyncForm: AjaxModuleAsyncOptions = { useClass: UnusedFactory };

@Module({
  imports: [AjaxModule.forRoot(options)],
  controllers: [PollsController, AccountController],
  providers: [Greeter, { provide: APP_FILTER, useClass: AjaxExceptionFilter }],
})
class AppModule {}

async function main(): Promise<void> {
  const results: Record<string, unknown> = {};
  results.unavailable = new MessagesUnavailableException('test').getStatus();
  try {
    AjaxModule.forRoot({ messages: { level: 'loud' } } as never);
  } catch (error) {
    results.badOptions = { isConfigurationError: error instanceof AjaxConfigurationError, message: (error as Error).message };
  }
  const app = await NestFactory.create(AppModule, { logger: false });
  app.use(session({ secret: 'pack-check', resave: false, saveUninitialized: false }));
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  let cookie = '';
  const call = async (name: string, path: string, init: RequestInit = {}): Promise<void> => {
    const res = await fetch(base + path, { redirect: 'manual', ...init, headers: { 'content-type': 'application/json', cookie, ...(init.headers ?? {}) } });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) cookie = setCookie.split(';')[0];
    const text = await res.text();
    results[name] = { status: res.status, allow: res.headers.get('allow'), location: res.headers.get('location'), body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
  };
  await call('anonymousVote', '/polls/vote', { method: 'POST', body: '{"choice":"red"}' });
  await call('anonymousResults', '/polls/results');
  await call('login', '/account/login', { method: 'POST' });
  await call('status', '/account/status');
  await call('voteWithGet', '/polls/vote');
  await call('invalidVote', '/polls/vote', { method: 'POST', body: '{"choice":"green"}' });
  await call('vote', '/polls/vote', { method: 'POST', body: '{"choice":"red"}' });
  await call('editWithPost', '/polls/edit', { method: 'POST' });
  await call('edit', '/polls/edit', { method: 'PATCH' });
  await call('unknown', '/nowhere');
  await app.close();
  process.stdout.write(JSON.stringify(results));
}

void main();
