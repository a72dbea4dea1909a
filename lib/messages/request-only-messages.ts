import { Logger } from '@nestjs/common';
import type { AjaxRequest } from '../ajax-request.interface.js';
import { platformOf } from '../platform/platform-of.js';
import type { AjaxMessage } from './ajax-message.interface.js';
import { type PendingLimits, pushWithinLimits } from './pending-limits.js';

/** Where a request without a session keeps its messages: on the request itself. */
const REQUEST_ONLY_MESSAGES = Symbol('nestjs-ajax:request-only-messages');

type RequestWithLocalMessages = AjaxRequest & { [REQUEST_ONLY_MESSAGES]?: AjaxMessage[] };

const NO_MESSAGES: readonly AjaxMessage[] = Object.freeze([]);
const logger = new Logger('AjaxMessages');
let missingSessionReported = false;

/**
 * The messages of a request that has no session: they live for the request
 * only, whatever the storage. One still undelivered when the response closes
 * is logged as a warning, since it is gone.
 * @internal
 */
export const requestOnlyMessages = {
  add(req: AjaxRequest, message: AjaxMessage, limits: PendingLimits): void {
    const local = req as RequestWithLocalMessages;
    let list = local[REQUEST_ONLY_MESSAGES];
    if (!list) {
      list = local[REQUEST_ONLY_MESSAGES] = [];
      reportMissingSession();
      platformOf(req).onResponseOver(req, () => reportUndelivered(local));
    }
    pushWithinLimits(req, list, message, limits);
  },

  collect(req: AjaxRequest, remove: boolean): readonly AjaxMessage[] {
    const local = req as RequestWithLocalMessages;
    const list = local[REQUEST_ONLY_MESSAGES];
    if (!list || list.length === 0) return NO_MESSAGES;
    if (remove) local[REQUEST_ONLY_MESSAGES] = [];
    return list;
  },

  /** Takes the oldest `count(pending)` messages, leaving the rest (see `MessageStorage.takeSome()`). */
  takeSome(req: AjaxRequest, count: (pending: readonly AjaxMessage[]) => number): readonly AjaxMessage[] {
    const local = req as RequestWithLocalMessages;
    const list = local[REQUEST_ONLY_MESSAGES];
    const taken = list && list.length > 0 ? count(list) : 0;
    if (!list || taken <= 0) return NO_MESSAGES;
    local[REQUEST_ONLY_MESSAGES] = list.slice(taken);
    return taken < list.length ? list.slice(0, taken) : list;
  },

  /** Puts messages taken from this request back in front of those it added since. */
  putBack(req: AjaxRequest, messages: readonly AjaxMessage[]): void {
    const local = req as RequestWithLocalMessages;
    const list = local[REQUEST_ONLY_MESSAGES];
    local[REQUEST_ONLY_MESSAGES] = list && list.length > 0 ? [...messages, ...list] : [...messages];
  },
};

function reportMissingSession(): void {
  if (missingSessionReported) return;
  missingSessionReported = true;
  logger.warn(
    'A message was added on a request without req.session: messages will not outlive their request. ' +
      'To carry them across redirects, register a session before the routes: on Express, e.g. ' +
      "app.use(session({ secret: '…', resave: false, saveUninitialized: false })); on Fastify, @fastify/session or @fastify/secure-session.",
  );
}

function reportUndelivered(req: RequestWithLocalMessages): void {
  const left = req[REQUEST_ONLY_MESSAGES];
  if (!left || left.length === 0) return;
  const texts = left.map((m) => JSON.stringify(m.message)).join(', ');
  logger.warn(
    `${left.length} message(s) could not be delivered and are lost, as the request has no session: ${texts}. ` +
      'Return a plain object (or an AjaxResponse) through AjaxMessagesInterceptor, or enable a session.',
  );
}
