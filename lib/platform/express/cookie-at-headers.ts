import type { AjaxRequest } from '../../ajax-request.interface.js';
import { setCookieList } from '../set-cookie-list.js';

type WriteHead = (this: HeadResponse, ...args: unknown[]) => unknown;

/** Node's response, as the cookie reaches it. */
interface HeadResponse {
  headersSent: boolean;
  writeHead: WriteHead;
  getHeader(name: string): unknown;
  setHeader(name: string, value: readonly string[]): unknown;
}

/**
 * Express's way to set a cookie at the last moment: every way a response
 * starts (`res.end()`, a first `res.write()`, a redirect, a template, a
 * stream, an `@Res()` handler's own `writeHead()`) goes through Node's
 * `res.writeHead()`, which for this response asks `cookie()` first, as
 * express-session's `on-headers` does for its own cookie. Whatever the
 * response adds or takes until then is in it.
 * @internal
 */
export function setCookieAtHeaders(req: AjaxRequest, cookie: () => string | undefined): boolean {
  const res = req.res as unknown as HeadResponse | undefined;
  if (!res || res.headersSent) return false;
  const writeHead = res.writeHead;
  let asked = false;
  // Left in place rather than put back: a wrapper added after this one (compression, on-headers) keeps its own.
  res.writeHead = function writeHeadWithCookie(this: HeadResponse, ...args: unknown[]): unknown {
    if (!asked) {
      asked = true;
      const value = cookie();
      if (value !== undefined) addSetCookie(res, args, value);
    }
    return writeHead.apply(this, args);
  };
  return true;
}

/**
 * Adds the cookie beside the app's own: after the response's `Set-Cookie`,
 * or, where `writeHead()` is given headers with a `Set-Cookie` of their own
 * (which replaces what was set before), after theirs. Always in a new array:
 * the one set may be the app's (a constant of its module), which Node's
 * `appendHeader()` would grow, carrying one visitor's cookie to the next.
 */
function addSetCookie(res: HeadResponse, args: unknown[], value: string): void {
  const at = args.findIndex((arg, i) => i > 0 && typeof arg === 'object' && arg !== null && !Array.isArray(arg));
  const headers = at === -1 ? undefined : (args[at] as Record<string, unknown>);
  const key = headers && Object.keys(headers).find((name) => name.toLowerCase() === 'set-cookie');
  if (!headers || key === undefined) {
    res.setHeader('Set-Cookie', [...setCookieList(res.getHeader('Set-Cookie')), value]);
    return;
  }
  // A copy: the object is the caller's.
  args[at] = { ...headers, [key]: [...setCookieList(headers[key]), value] };
}
