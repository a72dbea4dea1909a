import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { AjaxModule, type AjaxModuleOptions, CookieMessageStorage } from '../lib/index.js';
import { redisStorageModule } from './redis-storage.js';
import {
  Ajax401Controller,
  AjaxController,
  AjaxMessagesParamController,
  AjaxMessagesServiceController,
  AjaxMessagesServiceDeepController,
  AllowGuard,
  AuthGuardNestFilterController,
  BaselineController,
  BODY,
  DenyGuard,
  DenyGuardAjaxFilterController,
  FilterOnlyController,
  GuardsOnlyController,
  HandContextMessages,
  HandMessageContextController,
  HandMessageController,
  HandMessageNoSessionController,
  InterceptorOnlyController,
  LoginController,
  Nest403Controller,
  NestNoopGuardController,
  NestNoopsController,
  PassInterceptor,
  SavingService,
  withMessages,
} from './controllers.js';

/**
 * The apps the benchmark compares. Every Nest variant runs on Express with
 * express-session, and again on Fastify with @fastify/session: the same
 * module, only the adapter and the session plugin differ (see server.ts).
 */

/** What serves a variant's requests. */
export type BenchPlatform = 'express' | 'fastify' | 'node:http';

/** A benchmark variant: what it measures and how a correct answer looks. */
export interface Variant {
  name: string;
  label: string;
  platform: BenchPlatform;
  /** The Nest root module, or undefined for the raw node:http ceiling. */
  module?: Type;
  /** Whether requests carry the signed-in session cookie. */
  signedIn: boolean;
  /**
   * Signed-in visitors the requests go to in turn (default 1): more than the
   * connections, so that no visitor has two requests in flight, where a
   * storage shared by a visitor's requests (Redis, a cookie) would give one
   * answer the messages another request added.
   */
  visitors?: number;
  expectedStatus: number;
  expectedBody: unknown;
  /** The variant this one is compared with (its platform's baseline, or Nest's own error path), always on the same platform. */
  comparedWith?: string;
  /** A part of the module alone, run with --breakdown to see where the cost is. */
  breakdown?: boolean;
  /** Needs a redis-server (the run starts one on loopback, or leaves the variant out with a line saying so). */
  redis?: boolean;
}

/**
 * A variant's root module: the log-in route and `controller`, with
 * `AjaxModule.forRoot(ajax)` when `ajax` is given (bare Nest without it), and
 * any `providers` of the app's own that the controller needs.
 */
function appModule(controller: Type, ajax?: AjaxModuleOptions | DynamicModule, providers: Type[] = []): Type {
  const imports = !ajax ? [] : 'module' in ajax ? [ajax as DynamicModule] : [AjaxModule.forRoot(ajax as AjaxModuleOptions)];
  @Module({
    imports,
    controllers: [LoginController, controller],
    providers: [DenyGuard, AllowGuard, PassInterceptor, ...providers],
  })
  class BenchModule {}
  return BenchModule;
}

/** What a variant with one message answers: the body and the message the route added. */
const ONE_MESSAGE = withMessages(1);

const ON_EXPRESS: Variant[] = [
  { name: 'baseline', label: 'bare Nest 12 + express-session (baseline)', platform: 'express', module: appModule(BaselineController), signedIn: true, expectedStatus: 200, expectedBody: BODY },
  // The bare route again, in a process of its own: what a ratio of two processes of one app comes to in the run, the floor of what it resolves.
  {
    name: 'baseline-again',
    label: 'the bare route again, in a second process (what the run resolves)',
    platform: 'express',
    module: appModule(BaselineController),
    signedIn: true,
    expectedStatus: 200,
    expectedBody: BODY,
    comparedWith: 'baseline',
  },
  { name: 'ajax', label: '@Ajax(), no messages', platform: 'express', module: appModule(AjaxController, {}), signedIn: true, expectedStatus: 200, expectedBody: BODY, comparedWith: 'baseline' },
  {
    name: 'global',
    label: 'AjaxModule.forRoot({ global: true }), a route without any decorator',
    platform: 'express',
    module: appModule(BaselineController, { global: true }),
    signedIn: true,
    expectedStatus: 200,
    expectedBody: BODY,
    comparedWith: 'baseline',
  },
  {
    name: 'messages-param',
    label: '@Ajax() + one message via @Messages()',
    platform: 'express',
    module: appModule(AjaxMessagesParamController, {}),
    signedIn: true,
    expectedStatus: 200,
    expectedBody: ONE_MESSAGE,
    comparedWith: 'baseline',
  },
  {
    name: 'messages-service',
    label: '@Ajax() + one message via MessagesService injected in the controller',
    platform: 'express',
    module: appModule(AjaxMessagesServiceController, {}),
    signedIn: true,
    expectedStatus: 200,
    expectedBody: ONE_MESSAGE,
    comparedWith: 'baseline',
  },
  {
    name: 'messages-service-deep',
    label: '@Ajax() + one message via MessagesService injected in a singleton service the controller calls',
    platform: 'express',
    module: appModule(AjaxMessagesServiceDeepController, {}, [SavingService]),
    signedIn: true,
    expectedStatus: 200,
    expectedBody: ONE_MESSAGE,
    comparedWith: 'baseline',
  },
  {
    name: 'messages-cookie',
    label: '@Ajax() + one message via @Messages(), with CookieMessageStorage',
    platform: 'express',
    module: appModule(AjaxMessagesParamController, { messages: { storage: new CookieMessageStorage({ secret: 'a-bench-cookie-secret-of-32-characters' }) } }),
    signedIn: true,
    expectedStatus: 200,
    expectedBody: ONE_MESSAGE,
    comparedWith: 'messages-param',
    visitors: 1000,
  },
  {
    name: 'messages-redis',
    label: '@Ajax() + one message via @Messages(), with RedisMessageStorage (node-redis, redis-server on loopback)',
    platform: 'express',
    module: appModule(AjaxMessagesParamController, redisStorageModule()),
    signedIn: true,
    expectedStatus: 200,
    expectedBody: ONE_MESSAGE,
    comparedWith: 'messages-param',
    visitors: 1000,
    redis: true,
  },
  {
    name: 'ajax-redis',
    label: '@Ajax(), no messages, with RedisMessageStorage (each JSON answer looks for pending messages in Redis)',
    platform: 'express',
    module: appModule(AjaxController, redisStorageModule()),
    signedIn: true,
    expectedStatus: 200,
    expectedBody: BODY,
    comparedWith: 'ajax',
    visitors: 1000,
    redis: true,
  },
  { name: 'nest-403', label: "Nest's own guard answering 403", platform: 'express', module: appModule(Nest403Controller), signedIn: false, expectedStatus: 403, expectedBody: { message: 'Forbidden resource', error: 'Forbidden', statusCode: 403 } },
  {
    name: 'ajax-401',
    label: '@Ajax({ loginRequired: true }) answering 401',
    platform: 'express',
    module: appModule(Ajax401Controller, {}),
    signedIn: false,
    expectedStatus: 401,
    expectedBody: { status: 'error', error: 'Unauthorized' },
    comparedWith: 'nest-403',
  },
  { name: 'guards-only', label: 'breakdown: AjaxCsrfGuard + AjaxMethodGuard', platform: 'express', module: appModule(GuardsOnlyController, {}), signedIn: true, expectedStatus: 200, expectedBody: BODY, comparedWith: 'baseline', breakdown: true },
  { name: 'interceptor-only', label: 'breakdown: AjaxMessagesInterceptor', platform: 'express', module: appModule(InterceptorOnlyController, {}), signedIn: true, expectedStatus: 200, expectedBody: BODY, comparedWith: 'baseline', breakdown: true },
  { name: 'filter-only', label: 'breakdown: AjaxExceptionFilter', platform: 'express', module: appModule(FilterOnlyController, {}), signedIn: true, expectedStatus: 200, expectedBody: BODY, comparedWith: 'baseline', breakdown: true },
  { name: 'nest-noop-guard', label: "breakdown: one no-op guard (Nest's own cost of a guard)", platform: 'express', module: appModule(NestNoopGuardController), signedIn: true, expectedStatus: 200, expectedBody: BODY, comparedWith: 'baseline', breakdown: true },
  { name: 'hand-message', label: 'breakdown: one message by hand, no module (session, taken, Cache-Control)', platform: 'express', module: appModule(HandMessageController), signedIn: true, expectedStatus: 200, expectedBody: ONE_MESSAGE, comparedWith: 'baseline', breakdown: true },
  {
    name: 'hand-message-context',
    label: 'breakdown: the same by hand, the message added by a singleton service that finds its request in an AsyncLocalStorage',
    platform: 'express',
    module: appModule(HandMessageContextController, undefined, [HandContextMessages]),
    signedIn: true,
    expectedStatus: 200,
    expectedBody: ONE_MESSAGE,
    comparedWith: 'baseline',
    breakdown: true,
  },
  { name: 'hand-message-no-session', label: 'breakdown: the same by hand, the message never in the session', platform: 'express', module: appModule(HandMessageNoSessionController), signedIn: true, expectedStatus: 200, expectedBody: ONE_MESSAGE, comparedWith: 'baseline', breakdown: true },
  { name: 'nest-noops', label: "breakdown: two no-op guards + a pass-through interceptor (Nest's own cost)", platform: 'express', module: appModule(NestNoopsController), signedIn: true, expectedStatus: 200, expectedBody: BODY, comparedWith: 'baseline', breakdown: true },
  { name: 'auth-guard-nest-filter', label: "breakdown: AjaxAuthGuard's 401 rendered by Nest's filter", platform: 'express', module: appModule(AuthGuardNestFilterController, {}), signedIn: false, expectedStatus: 401, expectedBody: { status: 'error', error: 'Unauthorized' }, comparedWith: 'nest-403', breakdown: true },
  { name: 'deny-guard-ajax-filter', label: "breakdown: Nest's 403 rendered by AjaxExceptionFilter", platform: 'express', module: appModule(DenyGuardAjaxFilterController, {}), signedIn: false, expectedStatus: 403, expectedBody: { status: 'error', error: 'Forbidden', message: 'Forbidden resource' }, comparedWith: 'nest-403', breakdown: true },
];

/** The prefix of a Fastify variant's name: `fastify-ajax` is `ajax` on Fastify. */
export const FASTIFY_PREFIX = 'fastify-';

/**
 * The same app on Fastify: same module, same route, same expected answer,
 * compared with the Fastify counterpart of its Express reference, so that a
 * ratio never mixes the platforms' own speeds.
 */
function onFastify(variant: Variant): Variant {
  return {
    ...variant,
    name: `${FASTIFY_PREFIX}${variant.name}`,
    label: variant.label.replace('express-session', '@fastify/session'),
    platform: 'fastify',
    comparedWith: variant.comparedWith && `${FASTIFY_PREFIX}${variant.comparedWith}`,
  };
}

/** Every variant, in the order each round runs them: Express's, the raw ceiling, then Fastify's. */
export const VARIANTS: Variant[] = [
  ...ON_EXPRESS,
  { name: 'raw', label: 'raw node:http (ceiling)', platform: 'node:http', signedIn: false, expectedStatus: 200, expectedBody: BODY, comparedWith: 'baseline' },
  ...ON_EXPRESS.map(onFastify),
];
