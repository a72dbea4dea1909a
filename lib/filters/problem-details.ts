import type { AjaxErrorInfo } from '../options/ajax-module-options.interface.js';
import { informativeMessage } from './describe-exception.js';
import { markProblemDetails } from './problem-media-type.js';
import { httpReasonPhrase } from './reason-phrase.js';

/**
 * RFC 9457's own members and the module's extensions: an exception's members
 * of these names never replace them.
 */
const OWN_KEYS = new Set(['type', 'title', 'status', 'detail', 'instance', 'errors', 'messages']);

/** An absolute URI (RFC 3986: a scheme, then no blank or control character), as `type` must be to identify a problem type. */
const ABSOLUTE_URI = /^[a-z][a-z0-9+.-]*:[^\s\p{Cc}]+$/iu;

/**
 * RFC 9457 problem details of an error:
 * `{ type, title, status, detail?, instance?, errors?, …members, messages? }`.
 *
 * - `type`: the `type` member of the exception's response when it is an
 *   absolute URI (the app names its problem type), else `about:blank`;
 * - `title`: the status's reason phrase as HTTP spells it ("Not Found"), as
 *   RFC 9457 asks of `about:blank`;
 * - `detail`: the exception's own message (or an RFC-shaped exception's
 *   `detail`) when it says more than the title;
 * - `instance`: the request's path (see `problemInstance()`);
 * - `errors`: ValidationPipe's list of messages;
 * - the app's own members, then the pending `messages`: extension members,
 *   which never replace the RFC's or the module's.
 * @internal
 */
export function problemDetails(
  info: Pick<AjaxErrorInfo, 'status' | 'message' | 'members' | 'messages'>,
  instance: string | undefined,
): Record<string, unknown> {
  const { members } = info;
  const body: Record<string, unknown> = { type: problemType(members?.type), title: httpReasonPhrase(info.status), status: info.status };
  const detail = typeof info.message === 'string' ? info.message : ownDetail(members?.detail, info.status);
  if (detail !== undefined) body.detail = detail;
  if (instance !== undefined) body.instance = instance;
  if (Array.isArray(info.message)) body.errors = info.message;
  if (members) {
    for (const [key, value] of Object.entries(members)) {
      if (OWN_KEYS.has(key)) continue;
      // defineProperty: a key such as "__proto__" stays a plain member, never the body's prototype.
      Object.defineProperty(body, key, { value, enumerable: true, writable: true, configurable: true });
    }
  }
  if (info.messages !== undefined) body.messages = info.messages;
  return markProblemDetails(body);
}

/**
 * The `instance` of a request's problem: its path as the client asked for it,
 * without the query string, which may carry tokens, e-mail addresses or
 * search terms that have no place in a body clients log and report. A
 * relative reference, which RFC 9457 resolves against the request's URI.
 * @internal
 */
export function problemInstance(request: object | undefined): string | undefined {
  // Express's `originalUrl` is the whole path where a mounted router cut `url`; Fastify's `url` is whole.
  const { originalUrl, url } = (request ?? {}) as { originalUrl?: unknown; url?: unknown };
  const target = typeof originalUrl === 'string' ? originalUrl : url;
  if (typeof target !== 'string' || target === '') return undefined;
  return withoutQueryString(target);
}

/** A request target (or a text ending with one, as Nest's "Cannot GET /path?query") without its query string. @internal */
export function withoutQueryString(target: string): string {
  const query = target.indexOf('?');
  return query === -1 ? target : target.slice(0, query);
}

function problemType(type: unknown): string {
  return typeof type === 'string' && ABSOLUTE_URI.test(type) && URL.canParse(type) ? type : 'about:blank';
}

/** An RFC-shaped exception's own `detail` (`{ type, title, detail }`), when it says more than the title. */
function ownDetail(detail: unknown, status: number): string | undefined {
  return typeof detail === 'string' ? (informativeMessage(detail, status) as string | undefined) : undefined;
}
