import { HttpStatus } from '@nestjs/common';
import type { AjaxRequest } from '../../ajax-request.interface.js';
import { errorContentType, statusErrorBody } from '../../filters/error-body.js';
import { addStatusHeaders } from '../../filters/status-headers.js';
import type { JsonMessage } from '../../messages/ajax-message.interface.js';
import { isJsonMediaType } from '../../json-media-type.js';
import { isObjectText, jsonText, withMessagesText } from '../../messages/json-text.js';
import { canCarryMessages, sendWithPendingMessages } from '../../messages/message-body.js';
import { makePrivate } from '../../messages/private-response.js';
import type { ResolvedAjaxOptions } from '../../options/resolve-ajax-options.js';
import { renderAjaxResponse } from '../../responses/render-ajax-response.js';
import type { HttpPlatform } from '../http-platform.interface.js';
import { checkNotModified, dropConditions, type FreshnessRequest, jsonSettings, type JsonTextResponse, sendJsonText } from './express-json.js';

type Json = (this: HookedResponse, body: unknown) => unknown;

/** The Express response calls the hook makes. @internal */
export interface HookedResponse extends JsonTextResponse {
  req: AjaxRequest;
  statusCode: number;
  status(code: number): unknown;
  json: Json;
}

/**
 * The responses whose next JSON write delivers messages, with the options to
 * deliver them with: one table for the process, so that both builds of the
 * package, loaded together, read what either wrote. A table rather than a
 * property of the response or a `res.json` of its own: Express gives each
 * response its prototype anew, and a property added to such an object cost
 * more in the profile than the whole lookup.
 */
const DELIVERIES_KEY = Symbol.for('nestjs-ajax:json-deliveries');
const registry = globalThis as { [DELIVERIES_KEY]?: WeakMap<object, Delivery> };
const deliveries = (registry[DELIVERIES_KEY] ??= new WeakMap<object, Delivery>());

/** A delivery asked for: whose messages (the request the guard or interceptor saw), with which options. @internal */
export interface Delivery {
  readonly req: AjaxRequest;
  readonly options: ResolvedAjaxOptions;
}

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
 * Why this rather than an RxJS `map` in an interceptor: it costs a table
 * entry per request, where Nest's interceptor pipeline costs about a tenth of
 * the throughput of a small route (bench/RESULTS.md), so `@Ajax()` can
 * deliver messages from its guard. The app's response prototype's `json`
 * (`jsonForApp()`) does the write. The first call for a response wins.
 * @internal
 */
export function hookJson(req: AjaxRequest, res: object, options: ResolvedAjaxOptions): void {
  if (!deliveries.has(res)) deliveries.set(res, { req, options });
}

/** Undoes `hookJson()`: the response's next `json` is Express's own. @internal */
export function releaseJson(res: object): void {
  deliveries.delete(res);
}

/**
 * The delivery asked for on this JSON write of `res`, if any: once, as the
 * write goes out.
 * @internal
 */
export function takeDelivery(res: object): Delivery | undefined {
  const delivery = deliveries.get(res);
  if (delivery) deliveries.delete(res);
  return delivery;
}

/**
 * Writes `body` as `res.json` would, with the pending messages where the
 * body can carry them; `json` is Express's own `res.json`.
 * @internal
 */
export function writeJson(platform: HttpPlatform, body: unknown, req: AjaxRequest, res: HookedResponse, json: Json, options: ResolvedAjaxOptions): unknown {
  const data = renderAjaxResponse(body, platform, res);
  addStatusHeaders(platform, req, res, res.statusCode, options.wwwAuthenticate);
  // A body the route typed as something other than JSON (an HTML page's type) carries no messages.
  if (!canCarryMessages(data, req.method, res.statusCode) || !typedAsJson(res)) return json.call(res, data);
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
      const contentType = errorContentType(options.errorFormat);
      if (contentType) res.set('Content-Type', contentType);
      return json.call(res, statusErrorBody(options.errorFormat, HttpStatus.SERVICE_UNAVAILABLE, req));
    },
  });
}

/** Whether the response has no type yet (`res.json` sets JSON's) or a JSON one (`application/vnd.api+json`). */
function typedAsJson(res: HookedResponse): boolean {
  const type = res.get('Content-Type');
  return type === undefined || type === '' || isJsonMediaType(type);
}
