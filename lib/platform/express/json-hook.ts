import { HttpStatus } from '@nestjs/common';
import type { AjaxRequest } from '../../ajax-request.interface.js';
import { statusErrorBody } from '../../filters/error-body.js';
import { addStatusHeaders } from '../../filters/status-headers.js';
import type { JsonMessage } from '../../messages/ajax-message.interface.js';
import { isObjectText, jsonText, withMessagesText } from '../../messages/json-text.js';
import { canCarryMessages, sendWithPendingMessages } from '../../messages/message-body.js';
import { makePrivate } from '../../messages/private-response.js';
import type { ResolvedAjaxOptions } from '../../options/resolve-ajax-options.js';
import { renderAjaxResponse } from '../../responses/render-ajax-response.js';
import type { HttpPlatform } from '../http-platform.interface.js';
import { checkNotModified, dropConditions, type FreshnessRequest, jsonSettings, type JsonTextResponse, sendJsonText } from './express-json.js';

type Json = ((body: unknown) => unknown) & { [ORIGINAL_JSON]?: (body: unknown) => unknown };

/** The Express response calls the hook makes. @internal */
export interface HookedResponse extends JsonTextResponse {
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

/**
 * Express's way to deliver messages: the next `res.json(body)` of this
 * response (which is how Nest sends what a handler returns) renders an
 * `AjaxResponse` (its `success` and status), gives a 401 or 405 the header
 * it requires, and adds the pending messages to a plain object's JSON. Bodies
 * that cannot carry messages are written as they are, and the messages stay
 * pending. A redirect, a template, a stream or SSE never call `res.json`.
 *
 * The body is serialised (with the app's `json replacer`, `json spaces` and
 * `json escape`) before any message is taken, so a body that cannot be (a
 * BigInt, a cycle) fails with the messages still pending, and a conditional
 * request Express answers 304 leaves them pending too.
 *
 * Why a hook rather than an RxJS `map` in an interceptor: it costs a closure
 * per request, where Nest's interceptor pipeline costs about a tenth of the
 * throughput of a small route (bench/RESULTS.md), so `@Ajax()` can deliver
 * messages from its guard. The first call for a response wins.
 * @internal
 */
export function hookJson(platform: HttpPlatform, req: AjaxRequest, res: HookedResponse, options: ResolvedAjaxOptions): void {
  const json = res.json;
  if (json[ORIGINAL_JSON]) return;
  const hook: Json = function jsonWithMessages(body: unknown): unknown {
    res.json = json;
    return writeJson(platform, body, req, res, json, options);
  };
  hook[ORIGINAL_JSON] = json;
  res.json = hook;
}

/** Puts the response's own `json` back. @internal */
export function releaseJson(res: Pick<HookedResponse, 'json'>): void {
  const json = res.json?.[ORIGINAL_JSON];
  if (json) res.json = json;
}

function writeJson(platform: HttpPlatform, body: unknown, req: AjaxRequest, res: HookedResponse, json: Json, options: ResolvedAjaxOptions): unknown {
  const data = renderAjaxResponse(body, platform, res);
  addStatusHeaders(platform, req, res, res.statusCode, options.wwwAuthenticate);
  if (!canCarryMessages(data, req.method, res.statusCode)) return json.call(res, data);
  // Throws, as res.json would, for a body that cannot be serialised: before any message is taken.
  const settings = jsonSettings(res);
  const text = jsonText(settings, data);
  if (!isObjectText(text)) return sendJsonText(res, text);
  const conditional = checkNotModified(req as AjaxRequest & FreshnessRequest, res, text);
  if (conditional === 'fresh') return sendJsonText(res, text);
  return sendWithPendingMessages(req, res.statusCode, options, {
    send(messages: readonly JsonMessage[]) {
      if (messages.length === 0) return sendJsonText(res, text);
      if (conditional !== undefined) {
        // The ETag set for the freshness check describes the body without messages.
        if (conditional === 'etag-set') res.removeHeader('ETag');
        dropConditions(req as AjaxRequest & FreshnessRequest);
      }
      makePrivate(platform, res);
      return sendJsonText(res, withMessagesText(settings, text, messages));
    },
    sendWithout: () => sendJsonText(res, text),
    sendUnavailable() {
      res.status(HttpStatus.SERVICE_UNAVAILABLE);
      return json.call(res, statusErrorBody(HttpStatus.SERVICE_UNAVAILABLE));
    },
  });
}
