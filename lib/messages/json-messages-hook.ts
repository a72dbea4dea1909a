import { HttpStatus, Logger } from '@nestjs/common';
import type { AjaxRequest } from '../ajax-request.interface.js';
import { statusErrorBody } from '../filters/error-body.js';
import { isPlainObject } from '../is-plain-object.js';
import type { ResolvedAjaxOptions } from '../options/resolve-ajax-options.js';
import { renderAjaxResponse } from '../responses/ajax-response-status.js';
import { addStatusHeaders, type StatusHeadersResponse } from '../filters/status-headers.js';
import type { JsonMessage } from './ajax-message.interface.js';
import { responseHasBody, takeJsonMessages } from './deliver-messages.js';
import {
  checkNotModified,
  dropConditions,
  type FreshnessRequest,
  isObjectText,
  jsonSettings,
  jsonText,
  type JsonTextResponse,
  sendJsonText,
  withMessagesText,
} from './json-text.js';
import { makePrivate, type PrivateResponse } from './private-response.js';

type Json = ((body: unknown) => unknown) & { [ORIGINAL_JSON]?: (body: unknown) => unknown };

/** The Express response calls the hook makes. @internal */
export interface HookedResponse extends JsonTextResponse, StatusHeadersResponse, PrivateResponse {
  statusCode: number;
  status(code: number): unknown;
  json: Json;
}

/**
 * Where the hook keeps the response's own `json`: on the hook function itself.
 * Adding and deleting properties on the response would change its shape on
 * every request, which the profile showed as a cost of its own.
 */
const ORIGINAL_JSON = Symbol('nestjs-ajax:original-json');

const logger = new Logger('AjaxMessagesInterceptor');
let messagesKeyReported = false;

/**
 * Makes the handler's JSON answer carry the pending messages, at the moment it
 * is written: the next `res.json(body)` of this response (which is how Nest
 * sends what a handler returns) renders an `AjaxResponse` (its `success` and
 * status), gives a 401 or 405 the header it requires, and adds the pending
 * messages to a plain object's JSON. Bodies that cannot carry messages are
 * written as they are, and the messages stay pending. A redirect, a template,
 * a stream or SSE never call `res.json`.
 *
 * The body is serialised before any message is taken, so a body that cannot
 * be (a BigInt, a cycle) fails with the messages still pending, and a
 * conditional request Express answers 304 leaves them pending too.
 *
 * Why a hook rather than an RxJS `map` in an interceptor: it costs a closure
 * per request, where Nest 12's interceptor pipeline costs about a tenth of the
 * throughput of a small route (bench/RESULTS.md), so `@Ajax()` can deliver
 * messages from its guard.
 *
 * Safe to call more than once for a response; the first call wins.
 * @internal
 */
export function deliverMessagesWithJson(req: AjaxRequest, res: HookedResponse, options: ResolvedAjaxOptions): void {
  const json = res.json;
  if (json[ORIGINAL_JSON]) return;
  const hook: Json = function jsonWithMessages(body: unknown): unknown {
    res.json = json;
    return writeJson(body, req, res, json, options);
  };
  hook[ORIGINAL_JSON] = json;
  res.json = hook;
}

/**
 * Puts the response's own `json` back: the exception filter writes error
 * bodies itself, with the messages it took.
 * @internal
 */
export function releaseJsonHook(res: Pick<HookedResponse, 'json'>): void {
  const json = res.json[ORIGINAL_JSON];
  if (json) res.json = json;
}

function writeJson(body: unknown, req: AjaxRequest, res: HookedResponse, json: Json, options: ResolvedAjaxOptions): unknown {
  const data = renderAjaxResponse(body, res);
  addStatusHeaders(req, res, res.statusCode, options.wwwAuthenticate);
  if (!canCarryMessages(data, req, res)) return json.call(res, data);
  // Throws, as res.json would, for a body that cannot be serialised: before any message is taken.
  const settings = jsonSettings(res);
  const text = jsonText(settings, data);
  if (!isObjectText(text)) return sendJsonText(res, text);
  const conditional = checkNotModified(req as AjaxRequest & FreshnessRequest, res, text);
  if (conditional === 'fresh') return sendJsonText(res, text);
  const send = (messages: readonly JsonMessage[]): unknown => {
    if (messages.length === 0) return sendJsonText(res, text);
    if (conditional !== undefined) {
      // The ETag set for the freshness check describes the body without messages.
      if (conditional === 'etag-set') res.removeHeader('ETag');
      dropConditions(req as AjaxRequest & FreshnessRequest);
    }
    makePrivate(res);
    return sendJsonText(res, withMessagesText(settings, text, messages));
  };
  const messages = takeJsonMessages(req, options.messages.storage);
  if (!(messages instanceof Promise)) return send(messages);
  // Not every caller awaits res.json (Nest's own exception filter does not), so the promise never rejects:
  // a storage failure is answered here.
  return messages.then(send, (error: unknown) => {
    logger.error(`Pending messages could not be read: ${(error as Error)?.message ?? error}`);
    if (res.statusCode >= 400) return sendJsonText(res, text);
    res.status(HttpStatus.SERVICE_UNAVAILABLE);
    return json.call(res, statusErrorBody(HttpStatus.SERVICE_UNAVAILABLE));
  });
}

/**
 * A plain object, on a response with a body, without a `messages` key or a
 * `toJSON` of its own (whose output is its own business).
 */
function canCarryMessages(data: unknown, req: AjaxRequest, res: HookedResponse): data is Record<string, unknown> {
  if (!isPlainObject(data) || !responseHasBody(req.method, res.statusCode) || typeof data.toJSON === 'function') return false;
  if (Object.hasOwn(data, 'messages')) {
    if (!messagesKeyReported) {
      messagesKeyReported = true;
      logger.warn('A response body already has a "messages" key, so pending messages were left for a later response.');
    }
    return false;
  }
  return true;
}
