import { ALLOWED_METHODS_KEY } from '../ajax.constants.js';
import { AjaxConfigurationError, describeValue } from '../ajax.errors.js';
import { setMetadataOnce } from './set-metadata-once.js';

/**
 * The methods a route accepts, worked out once at decoration time so the
 * guard only looks them up.
 * @internal
 */
export interface AllowedMethods {
  /** Upper-case methods; HEAD is included wherever GET is. */
  readonly methods: readonly string[];
  /** The value of the `Allow` header of a 405 answer. */
  readonly allowHeader: string;
}

/** An RFC 9110 method token. */
const METHOD_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** @internal */
export function allowedMethods(methods: readonly string[], decorator: string): AllowedMethods {
  if (methods.length === 0) {
    throw new AjaxConfigurationError(`${decorator} needs at least one method, e.g. @AllowMethods('PUT', 'PATCH').`);
  }
  const upper = methods.map((method) => {
    if (typeof method !== 'string' || !METHOD_TOKEN.test(method)) {
      throw new AjaxConfigurationError(`${decorator}: ${describeValue(method)} is not an HTTP method; use names such as 'GET' or 'POST'.`);
    }
    return method.toUpperCase();
  });
  // A server that answers GET answers HEAD too (RFC 9110 §9.3.2).
  if (upper.includes('GET')) upper.push('HEAD');
  const unique = [...new Set(upper)];
  return { methods: unique, allowHeader: unique.join(', ') };
}

/**
 * Restricts a handler or a controller to the given HTTP methods, checked by
 * `AjaxMethodGuard`: any other method gets 405 with an `Allow` header. A
 * handler's setting wins over its controller's; HEAD is accepted wherever GET is.
 *
 * @example
 * @All('profile')
 * @UseGuards(AjaxMethodGuard)
 * @AllowMethods('PUT', 'PATCH')
 * update() { … }
 */
export function AllowMethods(...methods: string[]): MethodDecorator & ClassDecorator {
  return restrictMethods(allowedMethods(methods, '@AllowMethods()'));
}

/**
 * Writes the methods a handler or controller accepts, refusing a second,
 * different list on the same target (two lists would be decided by their
 * order on the page).
 */
function restrictMethods(allowed: AllowedMethods): MethodDecorator & ClassDecorator {
  return setMetadataOnce<AllowedMethods>(
    ALLOWED_METHODS_KEY,
    allowed,
    (existing, value) => sameMethods(existing.methods, value.methods),
    (existing, where) =>
      `${where} is restricted to two lists of methods (${existing.allowHeader}, and ${allowed.allowHeader}) by @Ajax()'s requirePost, ` +
      "requireGet or methods, @RequirePost(), @RequireGet() or @AllowMethods(); which one applies would depend on their order. " +
      "Keep one, listing every method it accepts, e.g. @AllowMethods('GET', 'POST').",
  );
}

/**
 * Accepts POST only (Django's `require_POST`), checked by `AjaxMethodGuard`.
 *
 * @example
 * @All('vote') @UseGuards(AjaxMethodGuard) @RequirePost()
 * vote() { … }
 */
export function RequirePost(): MethodDecorator & ClassDecorator {
  return AllowMethods('POST');
}

/**
 * Accepts GET (and HEAD) only (Django's `require_GET`), checked by `AjaxMethodGuard`.
 *
 * @example
 * @All('results') @UseGuards(AjaxMethodGuard) @RequireGet()
 * results() { … }
 */
export function RequireGet(): MethodDecorator & ClassDecorator {
  return AllowMethods('GET');
}

function sameMethods(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((method) => b.includes(method));
}
