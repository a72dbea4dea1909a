/** An RFC 6265 cookie name: an RFC 9110 token. @internal */
export const COOKIE_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * The value of the cookie `name` in a request's `Cookie` header, read here
 * so that the app needs no cookie-parser or `@fastify/cookie`; the first
 * one when there are several (browsers send the one of the longest path
 * first); `undefined` when there is none, or it is empty.
 * @internal
 */
export function readCookie(header: string | string[] | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  const text = Array.isArray(header) ? header.join('; ') : header;
  for (const pair of text.split(';')) {
    const equals = pair.indexOf('=');
    if (equals === -1 || pair.slice(0, equals).trim() !== name) continue;
    const value = pair.slice(equals + 1).trim();
    return value === '' ? undefined : value;
  }
  return undefined;
}

/** The attributes of the messages cookie: every path, out of scripts' reach, not sent by other sites' subrequests. */
function attributes(secure: boolean): string {
  return `; Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}

/** The `Set-Cookie` header that stores `value`, for the browser's session. @internal */
export function setCookieHeader(name: string, value: string, secure: boolean): string {
  return `${name}=${value}${attributes(secure)}`;
}

/** The `Set-Cookie` header that removes the cookie. @internal */
export function expiredCookieHeader(name: string, secure: boolean): string {
  return `${name}=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT${attributes(secure)}`;
}
