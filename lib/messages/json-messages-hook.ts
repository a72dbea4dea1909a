import { HttpStatus, Logger } from '@nestjs/common';
import type { AjaxRequest } from '../ajax-request.interface.js';
import { statusErrorBody } from '../filters/error-body.js';
import { isPlainObject } from '../is-plain-object.js';
import { AjaxResponse } from '../responses/ajax-response.js';
import type { JsonMessage } from './ajax-message.interface.js';
import { responseHasBody, takeJsonMessages } from './deliver-messages.js';
import type { MessageStorage } from './message-storage.interface.js';

type Json = ((body: unknown) => unknown) & { [ORIGINAL_JSON]?: (body: unknown) => unknown };

/** The Express response methods the hook uses. @internal */
export interface HookedResponse {
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
 * status) and adds the pending messages to a plain object, in a copy. Bodies
 * that cannot carry messages are written as they are, and the messages stay
 * pending. A redirect, a template, a stream or SSE never call `res.json`.
 *
 * Why a hook rather than an RxJS `map` in an interceptor: it costs a closure
 * per request, where Nest 12's interceptor pipeline costs about a tenth of the
 * throughput of a small route (bench/RESULTS.md), so `@Ajax()` can deliver
 * messages from its guard.
 *
 * Safe to call more than once for a response; the first call wins.
 * @internal
 */
export function deliverMessagesWithJson(req: AjaxRequest, res: HookedResponse, storage: MessageStorage): void {
  const json = res.json;
  if (json[ORIGINAL_JSON]) return;
  const hook: Json = function jsonWithMessages(this: HookedResponse, body: unknown): unknown {
    res.json = json;
    const rendered = render(body, req, res, storage);
    if (!(rendered instanceof Promise)) return json.call(this, rendered);
    // Not every caller awaits res.json (Nest's own exception filter does not), so the promise never rejects:
    // a storage failure is answered here.
    return rendered.then(
      (ready) => json.call(res, ready),
      (error: unknown) => {
        logger.error(`Pending messages could not be read: ${(error as Error)?.message ?? error}`);
        if (res.statusCode >= 400) return json.call(res, body instanceof AjaxResponse ? body.toJSON() : body);
        res.status(HttpStatus.SERVICE_UNAVAILABLE);
        return json.call(res, statusErrorBody(HttpStatus.SERVICE_UNAVAILABLE));
      },
    );
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

function render(body: unknown, req: AjaxRequest, res: HookedResponse, storage: MessageStorage): unknown {
  let data = body;
  if (body instanceof AjaxResponse) {
    if (body.status !== undefined) res.status(body.status);
    data = body.toJSON();
  }
  if (!isPlainObject(data) || !responseHasBody(req.method, res.statusCode)) return data;
  if (Object.hasOwn(data, 'messages')) {
    if (!messagesKeyReported) {
      messagesKeyReported = true;
      logger.warn('A response body already has a "messages" key, so pending messages were left for a later response.');
    }
    return data;
  }
  const messages = takeJsonMessages(req, storage);
  return messages instanceof Promise ? messages.then((taken) => withMessages(data, taken)) : withMessages(data, messages);
}

function withMessages(data: Record<string, unknown>, messages: readonly JsonMessage[]): Record<string, unknown> {
  return messages.length === 0 ? data : { ...data, messages };
}
