import type { InjectionToken, ModuleMetadata, OptionalFactoryDependency, Type } from '@nestjs/common';
import type { AjaxRequest } from '../ajax-request.interface.js';
import type { JsonMessage } from '../messages/ajax-message.interface.js';
import type { MessageStorage } from '../messages/message-storage.interface.js';

/**
 * What `AjaxExceptionFilter` knows about a failure, handed to `errorBody` so an
 * application can give errors its own shape.
 */
export interface AjaxErrorInfo {
  /** The HTTP status that will be sent, e.g. 404. */
  status: number;
  /** The status's reason phrase in sentence case, e.g. `"Not found"`. */
  error: string;
  /** The exception's own message, when it says more than `error` and may be shown (never for a 500). */
  message?: string | string[];
  /**
   * The app's own members of a 4xx HttpException's response object, beyond `message`:
   * `{ code: 'E_NAME', field: 'name' }` from `new BadRequestException({ code: 'E_NAME', message: '…', field: 'name' })`,
   * Nest 12's `errorCode`. Never `statusCode`, `error` or `stack`, nothing of a 5xx, and only members that can be sent as JSON.
   */
  members?: Record<string, unknown>;
  /** Pending messages, already taken from the store: put them in the body or they are gone. */
  messages?: JsonMessage[];
  /** What was thrown, as it was thrown. */
  exception: unknown;
}

/**
 * The shape of the module's error answers: `'ajax'` (its own body) or
 * `'problem+json'` (RFC 9457 problem details).
 */
export type AjaxErrorFormat = 'ajax' | 'problem+json';

/**
 * Options of the cross-site request check (Fetch Metadata, then Origin; see
 * `AjaxCsrfGuard`), or `false` to turn it off.
 */
export interface AjaxCsrfOptions {
  /**
   * Origins allowed to send unsafe requests from another site:
   * `'https://admin.example.com'`. Read by the rules of Nest 12.1's own
   * `trustedOrigins`: lower-cased and without the default port, as browsers
   * send `Origin`; a path, query string, fragment, credentials or wildcard
   * fail the start-up. Not consulted for a request that Nest's
   * `app.enableCsrfProtection()` let through. Default: none.
   */
  trustedOrigins?: string[];
  /**
   * Also require a custom header (`header`) on every unsafe request, browser or
   * not (OWASP's custom-request-header defence). Default: `false`.
   */
  strict?: boolean;
  /** The custom header of strict mode. Default: `'X-Requested-With'`. */
  header?: string;
}

/** Options of the flash-message store. */
export interface AjaxMessagesOptions {
  /**
   * Minimum level a message needs to be kept; lower ones are dropped.
   * A request can change it with `setLevel()`. Default: `MessageLevel.INFO` (20), so debug messages are dropped.
   */
  level?: number;
  /**
   * Tag of each level, merged over the defaults (`{ 10: 'debug', 20: 'info', 25: 'success', 30: 'warning', 40: 'error' }`),
   * like Django's `MESSAGE_TAGS`. Example: `{ 40: 'danger' }` for Bootstrap.
   */
  tags?: Record<number, string>;
  /**
   * Session property that holds pending messages. Default: `'_messages'` (Django's).
   * Names the session object itself uses (`cookie`, `save`, `id`…), `passport` and
   * `__proto__`-like names are refused at start-up.
   */
  sessionKey?: string;
  /** Most messages one visitor keeps pending; past it the oldest are dropped (logged once per visitor). Default: 50. */
  maxPending?: number;
  /**
   * Most bytes one visitor's pending messages hold (UTF-8 of each message's text and tags);
   * past it the oldest are dropped (logged once per visitor). Default: 8,192.
   */
  maxPendingBytes?: number;
  /**
   * Where pending messages live. Default: `new SessionMessageStorage(sessionKey)`.
   * `new RedisMessageStorage(client)` for several instances, or when requests
   * of one session run at the same time; `new CookieMessageStorage({ secret })`
   * for an app without sessions.
   */
  storage?: MessageStorage;
  /**
   * For a request from htmx (`HX-Request: true`) on a route that delivers
   * messages, an answer whose body does not carry them (an HTML fragment, a
   * string, nothing, a 204, a 4xx or 5xx that is not a JSON object) carries
   * them in its `HX-Trigger` header instead, as `{"messages":[{"message","tags"}]}`
   * merged with the app's own `HX-Trigger`, within 2,048 bytes: what does not
   * fit stays pending, in order. A redirect, a 304 and a HEAD answer leave
   * them pending. `false` leaves htmx requests as any other. Default: `true`.
   *
   * @example
   * htmx.on('messages', (event) => event.detail.value.forEach(({ message, tags }) => showToast(message, tags)));
   */
  htmx?: boolean;
}

/**
 * Options of `AjaxModule.forRoot()`. Every option may be left out.
 *
 * @example
 * AjaxModule.forRoot({
 *   applyToEveryRoute: true,
 *   isAuthenticated: (req) => Boolean(req.session?.userId),
 *   messages: { tags: { 40: 'danger' } },
 * });
 */
export interface AjaxModuleOptions {
  /**
   * Whether every module of the app sees what the module provides (`@Ajax()`,
   * the guards, the filter, `@Messages()`, `MessagesService`) from the one
   * `forRoot()` in the root module, as `ConfigModule`'s `isGlobal` does.
   * `false` keeps them to the module that imports `forRoot()`. Default: `true`.
   */
  isGlobal?: boolean;
  /**
   * Applies `AjaxExceptionFilter` to every route (`APP_FILTER`), so even unknown
   * paths and body-parser failures answer JSON, and delivers the pending
   * messages with every route's JSON answer, as `AjaxMessagesInterceptor` would
   * (without registering it). Default: `false`: only routes with `@Ajax()` or
   * the classes applied by hand.
   */
  applyToEveryRoute?: boolean;
  /**
   * Shorthand for both: `true` is `{ isGlobal: true, applyToEveryRoute: true }`,
   * `false` is `{ isGlobal: false, applyToEveryRoute: false }`. Cannot be given
   * with either of them.
   */
  global?: boolean;
  /**
   * Decides whether the request's visitor is signed in, now or through any
   * promise or thenable. Only `true` lets a visitor through: any other answer
   * (`1`, `'yes'`, an object) is "not signed in", and a throw or a rejection
   * answers 500. Default: passport's `req.isAuthenticated()` when present, else `Boolean(req.user)`.
   */
  isAuthenticated?(req: AjaxRequest): boolean | PromiseLike<boolean>;
  /**
   * Builds the JSON body of every error instead of the default
   * `{ status: 'error', error, message?, messages? }`. The status is kept.
   * Default: the module's own shape. If it throws, the default body is sent and the error logged.
   */
  errorBody?(info: AjaxErrorInfo, req: AjaxRequest): object;
  /**
   * The shape of every error the module writes: `'ajax'`, the module's
   * `{ status: 'error', error, message?, messages? }`, or `'problem+json'`,
   * RFC 9457 problem details (`{ type, title, status, detail?, instance,
   * errors?, messages? }`) sent as `application/problem+json`. `errorBody`,
   * when given, still builds the body. Default: `'ajax'`.
   */
  errorFormat?: AjaxErrorFormat;
  /** Flash-message options. */
  messages?: AjaxMessagesOptions;
  /**
   * Refusal of cross-site unsafe requests (POST, PUT, PATCH, DELETE…) on the
   * routes `@Ajax()`, `AjaxCsrfGuard` or `AjaxAuthGuard` guard; `false` turns it
   * off. Default: on, no trusted origins, not strict.
   */
  csrf?: AjaxCsrfOptions | false;
  /**
   * The `WWW-Authenticate` challenge every 401 carries (RFC 9110 §15.5.2).
   * Default: `'Session'`, a scheme no browser answers with a password dialog.
   */
  wwwAuthenticate?: string;
  /**
   * Gives every request a connect-flash-compatible `req.flash()` (Fastify's
   * `request.flash()`) whose messages are the module's, so that passport's
   * `failureFlash` and `successFlash` reach the next JSON response.
   * `req.flash(type, message)` adds one (`error`, `success`, `info`,
   * `warning`/`warn`, `debug` are levels; any other type is an info message
   * tagged with it); `req.flash(type)` takes that type's texts and
   * `req.flash()` all of them, grouped by type. Type the request with
   * `FlashRequest`. Start-up fails if the request already has a `flash`
   * (`@fastify/flash`). Default: `false`: no `req.flash`, and no cost.
   */
  flash?: boolean;
}

/**
 * Options a factory may return: all of `AjaxModuleOptions` but `isGlobal`,
 * `applyToEveryRoute` and `global`, which shape the module before any factory runs.
 */
export type AjaxModuleFactoryOptions = Omit<AjaxModuleOptions, 'global' | 'isGlobal' | 'applyToEveryRoute'>;

/**
 * A class that builds the options, for `forRootAsync({ useClass })` and `{ useExisting }`.
 *
 * @example
 * @Injectable()
 * class AjaxConfig implements AjaxOptionsFactory {
 *   constructor(private readonly config: ConfigService) {}
 *   createAjaxOptions() { return { messages: { sessionKey: this.config.get('FLASH_KEY') } }; }
 * }
 */
export interface AjaxOptionsFactory {
  createAjaxOptions(): AjaxModuleFactoryOptions | Promise<AjaxModuleFactoryOptions>;
}

/**
 * Options of `AjaxModule.forRootAsync()`: exactly one of `useFactory`,
 * `useClass` or `useExisting`.
 *
 * @example
 * AjaxModule.forRootAsync({
 *   applyToEveryRoute: true,
 *   imports: [ConfigModule],
 *   inject: [ConfigService],
 *   useFactory: (config: ConfigService) => ({ messages: { level: config.get('FLASH_LEVEL') } }),
 * });
 */
export interface AjaxModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'>, Pick<AjaxModuleOptions, 'isGlobal' | 'applyToEveryRoute' | 'global'> {
  /** Providers whose values `useFactory` receives, in order. */
  inject?: Array<InjectionToken | OptionalFactoryDependency>;
  /** Builds the options, sync or async. */
  useFactory?: (...args: never[]) => AjaxModuleFactoryOptions | Promise<AjaxModuleFactoryOptions>;
  /** A class the module instantiates to build the options. */
  useClass?: Type<AjaxOptionsFactory>;
  /** An existing provider (from `imports`) that builds the options. */
  useExisting?: InjectionToken;
}
