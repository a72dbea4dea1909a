import { validateHeaderValue } from 'node:http';
import type { AjaxRequest } from '../ajax-request.interface.js';
import { AjaxConfigurationError, describeValue } from '../ajax.errors.js';
import { normalizeTrustedOrigin } from '../csrf/trusted-origin.js';
import { DEFAULT_LEVEL_TAGS, MessageLevel } from '../messages/message-level.js';
import type { MessageStorage } from '../messages/message-storage.interface.js';
import { DEFAULT_PENDING_LIMITS, type PendingLimits } from '../messages/pending-limits.js';
import { RESERVED_SESSION_KEYS, SessionMessageStorage } from '../messages/session-message-storage.js';
import { SHAPE_KEYS } from './module-shape.js';
import type { AjaxCsrfOptions, AjaxErrorFormat, AjaxErrorInfo, AjaxMessagesOptions, AjaxModuleOptions } from './ajax-module-options.interface.js';

/** The message settings every part of the module reads, defaults applied. @internal */
export interface ResolvedMessagesOptions {
  readonly level: number;
  readonly levelTags: Readonly<Record<number, string>>;
  readonly storage: MessageStorage;
  readonly limits: PendingLimits;
  /** The format of the 503 that answers a request whose message could not be stored. */
  readonly errorFormat: AjaxErrorFormat;
  /** Whether htmx requests get their messages in `HX-Trigger` (`messages.htmx`). */
  readonly htmx: boolean;
}

/** The cross-site check's settings, defaults applied; `undefined` when it is off. @internal */
export interface ResolvedCsrfOptions {
  /** Normalised as browsers write `Origin`, so a request's `Origin` is looked up as it comes. */
  readonly trustedOrigins: ReadonlySet<string>;
  /** Lower-case header name strict mode requires, or `undefined` when not strict. */
  readonly requiredHeader?: string;
}

/** The options with every default applied, once, at start-up. @internal */
export interface ResolvedAjaxOptions {
  isAuthenticated(req: AjaxRequest): boolean | PromiseLike<boolean>;
  readonly errorBody?: (info: AjaxErrorInfo, req: AjaxRequest) => object;
  readonly messages: ResolvedMessagesOptions;
  readonly csrf?: ResolvedCsrfOptions;
  readonly wwwAuthenticate: string;
  /** Whether requests get the module's connect-flash-compatible `flash()`. */
  readonly flash: boolean;
  readonly errorFormat: AjaxErrorFormat;
}

const MODULE_KEYS = [...SHAPE_KEYS, 'isAuthenticated', 'errorBody', 'messages', 'csrf', 'wwwAuthenticate', 'flash', 'errorFormat'];
const ERROR_FORMATS: readonly unknown[] = ['ajax', 'problem+json'] satisfies AjaxErrorFormat[];
const MESSAGES_KEYS = ['level', 'tags', 'sessionKey', 'storage', 'maxPending', 'maxPendingBytes', 'htmx'];

const CSRF_KEYS = ['trustedOrigins', 'strict', 'header'];
/** An RFC 9110 token: header names and authentication schemes. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** passport's check when passport is in use, else whether anything set `req.user`. */
function defaultIsAuthenticated(req: AjaxRequest): boolean {
  return typeof req.isAuthenticated === 'function' ? req.isAuthenticated() : Boolean(req.user);
}

/**
 * Checks the options and applies the defaults. Every mistake throws an
 * `AjaxConfigurationError` that names the option, what it got and what it takes,
 * so a typo fails the start-up instead of silently changing behaviour.
 * @internal
 */
export function resolveAjaxOptions(options: AjaxModuleOptions | undefined, source = 'AjaxModule'): ResolvedAjaxOptions {
  const opts = options ?? {};
  requireObject(opts, source, 'options');
  rejectUnknownKeys(opts, MODULE_KEYS, source, '');
  requireFunctionOrUndefined(opts.isAuthenticated, source, 'isAuthenticated');
  requireFunctionOrUndefined(opts.errorBody, source, 'errorBody');
  const wwwAuthenticate = opts.wwwAuthenticate ?? 'Session';
  if (typeof wwwAuthenticate !== 'string' || !TOKEN.test(wwwAuthenticate.split(' ')[0]) || !isHeaderValue(wwwAuthenticate)) {
    fail(source, 'wwwAuthenticate', 'must be a challenge such as \'Session\' or \'Bearer realm="api"\'', wwwAuthenticate);
  }
  const errorFormat = opts.errorFormat ?? 'ajax';
  if (!ERROR_FORMATS.includes(errorFormat)) fail(source, 'errorFormat', "must be 'ajax' (the module's error body) or 'problem+json' (RFC 9457)", errorFormat);
  const messages = resolveMessagesOptions(opts.messages, source, errorFormat);
  return {
    isAuthenticated: opts.isAuthenticated ?? defaultIsAuthenticated,
    errorBody: opts.errorBody,
    messages,
    csrf: resolveCsrfOptions(opts.csrf, source),
    wwwAuthenticate,
    flash: resolveFlash(opts.flash, messages.storage, source),
    errorFormat,
  };
}

/** `flash: true` needs a storage that can take one type's messages and leave the rest (`takeMatching()`). */
function resolveFlash(flash: boolean | undefined, storage: MessageStorage, source: string): boolean {
  if (flash !== undefined && typeof flash !== 'boolean') fail(source, 'flash', 'must be true or false', flash);
  if (flash && typeof storage.takeMatching !== 'function') {
    fail(
      source,
      'messages.storage',
      'must have takeMatching(req, matches) with flash: true, for req.flash(type) to take one type\'s messages and leave the rest ' +
        '(SessionMessageStorage, RedisMessageStorage and CookieMessageStorage have it), or leave flash out',
      storage,
    );
  }
  return flash === true;
}

function resolveCsrfOptions(options: AjaxCsrfOptions | false | undefined, source: string): ResolvedCsrfOptions | undefined {
  if (options === false) return undefined;
  const opts = options ?? {};
  requireObject(opts, source, 'csrf');
  rejectUnknownKeys(opts, CSRF_KEYS, source, 'csrf.');
  const trusted = opts.trustedOrigins ?? [];
  if (!Array.isArray(trusted)) fail(source, 'csrf.trustedOrigins', "must be an array of origins such as ['https://admin.example.com']", trusted);
  const trustedOrigins = new Set<string>();
  for (const value of trusted as unknown[]) {
    const normalized = normalizeTrustedOrigin(value);
    if ('problem' in normalized) {
      throw new AjaxConfigurationError(
        `${source} option "csrf.trustedOrigins" must hold origins, scheme://host[:port] such as 'https://admin.example.com'; ` +
          `got ${describeValue(value)}, which ${normalized.problem}.`,
      );
    }
    trustedOrigins.add(normalized.origin);
  }
  if (opts.strict !== undefined && typeof opts.strict !== 'boolean') fail(source, 'csrf.strict', 'must be true or false', opts.strict);
  const header = opts.header ?? 'X-Requested-With';
  if (typeof header !== 'string' || !TOKEN.test(header)) fail(source, 'csrf.header', 'must be a header name such as \'X-Requested-With\'', header);
  return { trustedOrigins, requiredHeader: opts.strict ? header.toLowerCase() : undefined };
}

/** Whether Node would send it as a header value (a bad one would turn every 401 into a 500). */
function isHeaderValue(value: string): boolean {
  try {
    validateHeaderValue('WWW-Authenticate', value);
    return true;
  } catch {
    return false;
  }
}

function resolveMessagesOptions(options: AjaxMessagesOptions | undefined, source: string, errorFormat: AjaxErrorFormat): ResolvedMessagesOptions {
  const opts = options ?? {};
  requireObject(opts, source, 'messages');
  rejectUnknownKeys(opts, MESSAGES_KEYS, source, 'messages.');
  const level = opts.level ?? MessageLevel.INFO;
  if (!Number.isInteger(level) || level < 0) {
    fail(source, 'messages.level', 'must be a whole number ≥ 0 such as MessageLevel.INFO (20)', level);
  }
  const sessionKey = opts.sessionKey ?? '_messages';
  if (typeof sessionKey !== 'string' || sessionKey === '') {
    fail(source, 'messages.sessionKey', 'must be a non-empty string', sessionKey);
  }
  if (RESERVED_SESSION_KEYS.includes(sessionKey)) {
    fail(source, 'messages.sessionKey', `must not be a name the session itself or a common middleware uses (${RESERVED_SESSION_KEYS.join(', ')})`, sessionKey);
  }
  const storage = opts.storage ?? new SessionMessageStorage(sessionKey);
  if (!['add', 'peek', 'take'].every((method) => typeof (storage as unknown as Record<string, unknown>)[method] === 'function')) {
    fail(source, 'messages.storage', 'must be a message storage (add, peek, take), such as new RedisMessageStorage(client)', storage);
  }
  const htmx = opts.htmx ?? true;
  if (typeof htmx !== 'boolean') fail(source, 'messages.htmx', 'must be true (messages in HX-Trigger for htmx requests) or false', htmx);
  return {
    level,
    levelTags: resolveLevelTags(opts.tags, source),
    storage,
    limits: Object.freeze({
      maxCount: positiveInteger(opts.maxPending, DEFAULT_PENDING_LIMITS.maxCount, source, 'messages.maxPending'),
      maxBytes: positiveInteger(opts.maxPendingBytes, DEFAULT_PENDING_LIMITS.maxBytes, source, 'messages.maxPendingBytes'),
    }),
    errorFormat,
    htmx,
  };
}

function resolveLevelTags(tags: Record<number, string> | undefined, source: string): Readonly<Record<number, string>> {
  if (tags === undefined) return DEFAULT_LEVEL_TAGS;
  requireObject(tags, source, 'messages.tags');
  for (const [level, tag] of Object.entries(tags)) {
    if (!/^\d+$/.test(level)) fail(source, 'messages.tags', 'must map whole-number levels to tags, e.g. { 40: "danger" }; has key', level);
    if (typeof tag !== 'string') fail(source, `messages.tags[${level}]`, 'must be a string (the tag)', tag);
  }
  return Object.freeze({ ...DEFAULT_LEVEL_TAGS, ...tags });
}

function positiveInteger(value: number | undefined, fallback: number, source: string, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) fail(source, name, 'must be a whole number ≥ 1', value);
  return value;
}

function requireObject(value: unknown, source: string, name: string): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(source, name, 'must be an object', value);
  }
}

function requireFunctionOrUndefined(value: unknown, source: string, name: string): void {
  if (value !== undefined && typeof value !== 'function') fail(source, name, 'must be a function', value);
}

function rejectUnknownKeys(value: object, known: string[], source: string, prefix: string): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new AjaxConfigurationError(
        `${source} has no option "${prefix}${key}". Known options${prefix ? ` of "${prefix.slice(0, -1)}"` : ''}: ${known.join(', ')}.`,
      );
    }
  }
}

function fail(source: string, name: string, rule: string, got: unknown): never {
  throw new AjaxConfigurationError(`${source} option "${name}" ${rule}; got ${describeValue(got)}.`);
}

/**
 * The resolved options an enhancer was given, or a clear error when it runs in
 * a module that cannot see `AjaxModule` (Nest would otherwise inject nothing).
 * @internal
 */
export function requireAjaxOptions(options: ResolvedAjaxOptions | undefined, user: string): ResolvedAjaxOptions {
  if (options) return options;
  throw new AjaxConfigurationError(
    `${user} needs AjaxModule.forRoot(), which the module where it is used cannot see: no module calls it, ` +
      'or it is given isGlobal: false, which keeps it to the module that imports it. ' +
      'Import AjaxModule.forRoot() once, in the root module, without isGlobal: false (every module then sees it); ' +
      'or call forRoot({ isGlobal: false }) in a shared module that exports AjaxModule, and import that module here.',
  );
}
