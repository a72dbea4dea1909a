import type { AjaxRequest } from '../../ajax-request.interface.js';
import { headerReachesPage, wantsMessagesInHeader } from '../../messages/htmx/htmx-request.js';
import { putMessagesInHeader } from '../../messages/htmx/messages-in-header.js';
import type { ResolvedAjaxOptions } from '../../options/resolve-ajax-options.js';
import type { HttpPlatform } from '../http-platform.interface.js';
import type { FastifyReplyLike } from './fastify-reply.js';

/**
 * Fastify's way to give an htmx request its messages in `HX-Trigger`: the
 * reply's `send` (see `sendWithMessages()`), for an answer whose body does
 * not carry them (an HTML fragment, a string, nothing, a stream, JSON that is
 * not an object), takes them, sets the header, then sends; for any other
 * request, or an answer that is a redirect, a 304 or a HEAD
 * (`headerReachesPage()`), it only sends. Every answer of a reply goes
 * through `send`, a redirect's and a template's included, and `send` runs
 * before any `onSend` hook, so the session plugin saves the session without them.
 * @internal
 */
export function sendWithMessagesInHeader(
  platform: HttpPlatform,
  req: AjaxRequest,
  reply: FastifyReplyLike,
  options: ResolvedAjaxOptions,
  send: () => unknown,
): unknown {
  if (!wantsMessagesInHeader(req, options) || !headerReachesPage(req.method, reply.statusCode)) return send();
  const put = putMessagesInHeader(platform, req, reply, options);
  return put instanceof Promise ? put.then(send) : send();
}
