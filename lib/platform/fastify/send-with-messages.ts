import { Buffer } from 'node:buffer';
import { HttpStatus } from '@nestjs/common';
import type { AjaxRequest } from '../../ajax-request.interface.js';
import { isJsonMediaType, JSON_CONTENT_TYPE } from '../../json-media-type.js';
import { errorContentType, statusErrorBody } from '../../filters/error-body.js';
import { labelProblemDetails } from '../../filters/problem-media-type.js';
import { addStatusHeaders } from '../../filters/status-headers.js';
import type { JsonMessage } from '../../messages/ajax-message.interface.js';
import { isObjectText, PLAIN_JSON, withMessagesText } from '../../messages/json-text.js';
import { canCarryMessages, sendWithPendingMessages } from '../../messages/message-body.js';
import { makePrivate } from '../../messages/private-response.js';
import type { ResolvedAjaxOptions } from '../../options/resolve-ajax-options.js';
import { renderAjaxResponse } from '../../responses/render-ajax-response.js';
import type { HttpPlatform } from '../http-platform.interface.js';
import type { FastifyReplyLike } from './fastify-reply.js';
import { guardSend, type SendState } from './guarded-send.js';
import { sendWithMessagesInHeader } from './hx-trigger-send.js';

type Send = FastifyReplyLike['send'];

/**
 * Fastify's way to deliver messages: the reply's next `send(body)` (which is
 * how Nest sends what a handler returns) renders an `AjaxResponse`, gives a
 * 401 or 405 the header it requires, and sends a plain object's JSON with the
 * pending messages added. Bodies that cannot carry messages go to Fastify as
 * they are, and the messages stay pending, or go in an htmx request's
 * `HX-Trigger` header (`sendWithMessagesInHeader()`).
 *
 * The body is serialised with `reply.serialize()`, so a route's response
 * schema and serialiser apply as Fastify would apply them, before any
 * message is taken: a body that cannot be serialised fails with the messages
 * still pending. The messages are then spliced into that text, which no
 * schema strips, and taken before any `onSend` hook runs, so a session plugin
 * saves the session without them. The cheapest way found on Fastify
 * (bench/RESULTS.md): the reply's `send` guarded once per reply, and one
 * delivering function for every reply (see `SendState.deliver`).
 * @internal
 */
export function sendWithMessages(platform: HttpPlatform, req: AjaxRequest, reply: FastifyReplyLike, options: ResolvedAjaxOptions): void {
  const state = guardSend(reply);
  if (state.deliver || state.started) return;
  state.platform = platform;
  state.request = req;
  state.options = options;
  state.deliver = deliverWithMessages;
}

/** `SendState.deliver` for `sendWithMessages()`: the reply's first answer, with the messages. */
function deliverWithMessages(this: SendState, payload: unknown, send: Send): unknown {
  return write(this.platform!, payload, send, this.request!, this.reply, this.options!);
}

/**
 * Takes the reply back from `sendWithMessages()`: the exception filter
 * writes error bodies itself (through `sendJson()`, or its own `send()`), and
 * may take its time. @internal
 */
export function answerAsModule(reply: FastifyReplyLike): void {
  const state = guardSend(reply);
  state.deliver = undefined;
  state.held = true;
}

function write(platform: HttpPlatform, payload: unknown, send: Send, req: AjaxRequest, reply: FastifyReplyLike, options: ResolvedAjaxOptions): unknown {
  const data = renderAjaxResponse(payload, platform, reply);
  addStatusHeaders(platform, req, reply, reply.statusCode, options.wwwAuthenticate);
  // A guard's refusal that Nest's own exception filter sends, in the problem details format.
  labelProblemDetails(platform, reply, data);
  // Read once: nothing below sets a type before the text goes out.
  const type = reply.getHeader('content-type');
  // A body that cannot carry the messages: an htmx request gets them in its header instead.
  if (!servedAsJson(data, type)) return sendWithMessagesInHeader(platform, req, reply, options, () => send.call(reply, data));
  // Throws for a body that cannot be serialised, to the handler's caller as Express's res.json does (so a
  // controller's own filter sees it), and before any message is taken.
  const text = reply.serialize(data);
  const sendText = (json: string): unknown => sendJsonText(reply, json, (ready) => send.call(reply, ready), type !== undefined);
  if (!canCarryMessages(data, req.method, reply.statusCode) || !isObjectText(text)) {
    return sendWithMessagesInHeader(platform, req, reply, options, () => sendText(text));
  }
  return sendWithPendingMessages(req, reply.statusCode, options, {
    send(messages: readonly JsonMessage[]) {
      if (messages.length === 0) return sendText(text);
      makePrivate(platform, reply);
      return sendText(withMessagesText(PLAIN_JSON, text, messages));
    },
    sendWithout: () => sendText(text),
    sendUnavailable() {
      reply.code(HttpStatus.SERVICE_UNAVAILABLE);
      const contentType = errorContentType(options.errorFormat);
      if (contentType) reply.header('content-type', contentType);
      return send.call(reply, statusErrorBody(options.errorFormat, HttpStatus.SERVICE_UNAVAILABLE, req));
    },
  });
}

/**
 * Sends JSON text as Fastify sends a serialised body: `application/json`
 * unless the reply has a type, the text as it is. `typed` says whether it
 * has one, where the caller read it already (each read lower-cases the
 * name twice). @internal
 */
export function sendJsonText(reply: FastifyReplyLike, text: string, send: (text: string) => unknown, typed = reply.getHeader('content-type') !== undefined): unknown {
  if (!typed) reply.type(JSON_CONTENT_TYPE);
  return send(text);
}

/**
 * Whether Fastify would send this body as JSON: an object that is not a
 * Buffer, a typed array or a stream, on a reply without a content type of
 * another kind.
 */
function servedAsJson(data: unknown, type: unknown): data is object {
  if (data === null || typeof data !== 'object' || Buffer.isBuffer(data) || ArrayBuffer.isView(data)) return false;
  const shaped = data as { pipe?: unknown; getReader?: unknown };
  if (typeof shaped.pipe === 'function' || typeof shaped.getReader === 'function') return false;
  // Fastify serialises an object only where the type includes "json", as written (not "Application/JSON"); the messages
  // go only into a body typed as JSON.
  return type === undefined || (typeof type === 'string' && type.includes('json') && isJsonMediaType(type));
}
