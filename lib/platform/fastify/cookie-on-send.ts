import type { AjaxRequest } from '../../ajax-request.interface.js';
import type { FastifyReplyLike } from './fastify-reply.js';

/** The cookies a request's reply is to carry, asked for as it is sent; declared on every request (see `install()`). @internal */
export const COOKIES = Symbol('nestjs-ajax:cookies-on-send');

type Cookie = () => string | undefined;

type CookieRequest = AjaxRequest & { [COOKIES]?: Cookie[] | null };

/**
 * Fastify's way to set a cookie at the last moment: every answer of a reply
 * (a JSON body, a redirect, a template, a stream, an error Fastify answers)
 * passes the app's `onSend` hooks before its headers are written, and the
 * module's asks `cookie()` there (`setCookiesOnSend()`), as the session
 * plugins set their own cookies. An answer written to the raw Node response
 * (`@Sse()`, a hijacked reply) passes no hook and carries no cookie.
 * @internal
 */
export function setCookieOnSend(req: AjaxRequest, cookie: Cookie): void {
  const request = req as CookieRequest;
  (request[COOKIES] ??= []).push(cookie);
}

/**
 * Called by the module's `onSend` hook: the cookies asked for, added to the
 * reply's `Set-Cookie` (Fastify's `reply.header()` appends to it).
 * @internal
 */
export function setCookiesOnSend(req: AjaxRequest, reply: FastifyReplyLike): void {
  const request = req as CookieRequest;
  const cookies = request[COOKIES];
  if (!cookies) return;
  request[COOKIES] = null;
  for (const cookie of cookies) {
    const value = cookie();
    if (value !== undefined) reply.header('set-cookie', value);
  }
}
