import type { AjaxRequest } from '../../ajax-request.interface.js';
import { setCookieList } from '../set-cookie-list.js';
import type { FastifyReplyLike } from './fastify-reply.js';
import { type CookieOnSend, knownStateOf, stateOf } from './request-state.js';

/**
 * Fastify's way to set a cookie at the last moment: every answer of a reply
 * (a JSON body, a redirect, a template, a stream, an error Fastify answers)
 * passes the app's `onSend` hooks before its headers are written, and the
 * module's asks `cookie()` there (`setCookiesOnSend()`), as the session
 * plugins set their own cookies. An answer written to the raw Node response
 * (`@Sse()`, a hijacked reply) passes no hook and carries no cookie.
 * @internal
 */
export function setCookieOnSend(req: AjaxRequest, cookie: CookieOnSend): void {
  (stateOf(req).cookies ??= []).push(cookie);
}

/**
 * Called by the module's `onSend` hook: the cookies asked for, added after
 * the reply's `Set-Cookie`, in a new array set on the reply. Not with
 * `reply.header()` alone, which appends: a `Set-Cookie` set on the raw Node
 * response (by a Nest middleware), where the reply has none of its own,
 * would be replaced by the reply's as Fastify writes the headers, and
 * Fastify 5.11 appends into the array the app set, which may be a constant
 * of its module, carrying one visitor's cookie to the next.
 * `reply.getHeader()` gives the reply's own, or else the raw response's.
 * @internal
 */
export function setCookiesOnSend(req: AjaxRequest, reply: FastifyReplyLike): void {
  const state = knownStateOf(req);
  if (!state?.cookies) return;
  const cookies = state.cookies;
  state.cookies = undefined;
  const values = cookies.map((cookie) => cookie()).filter((value) => value !== undefined);
  if (values.length === 0) return;
  const before = setCookieList(reply.getHeader('set-cookie'));
  reply.removeHeader('set-cookie');
  reply.header('set-cookie', [...before, ...values]);
}
