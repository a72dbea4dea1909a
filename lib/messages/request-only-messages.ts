import { Logger } from '@nestjs/common';
import type { AjaxRequest } from '../ajax-request.interface.js';
import { platformOf } from '../platform/platform-of.js';
import { RequestSlot } from '../request-slot.js';
import type { AjaxMessage } from './ajax-message.interface.js';
import { type PendingLimits, pushWithinLimits } from './pending-limits.js';

/** Where a request without a session keeps its messages: on the request itself. */
const REQUEST_ONLY_MESSAGES = new RequestSlot<AjaxMessage[]>(Symbol('nestjs-ajax:request-only-messages'));

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
    let list = REQUEST_ONLY_MESSAGES.get(req);
    if (!list) {
      list = [];
      REQUEST_ONLY_MESSAGES.set(req, list);
      reportMissingSession();
      platformOf(req).onResponseOver(req, () => reportUndelivered(req));
    }
    pushWithinLimits(req, list, message, limits);
  },

  collect(req: AjaxRequest, remove: boolean): readonly AjaxMessage[] {
    const list = REQUEST_ONLY_MESSAGES.get(req);
    if (!list || list.length === 0) return NO_MESSAGES;
    if (remove) REQUEST_ONLY_MESSAGES.set(req, []);
    return list;
  },

  /** The messages `matches` picks, removed; the others stay, in order. */
  takeMatching(req: AjaxRequest, matches: (message: AjaxMessage) => boolean): readonly AjaxMessage[] {
    const list = REQUEST_ONLY_MESSAGES.get(req);
    if (!list || list.length === 0) return NO_MESSAGES;
    const taken: AjaxMessage[] = [];
    const left: AjaxMessage[] = [];
    for (const message of list) (matches(message) ? taken : left).push(message);
    if (taken.length > 0) REQUEST_ONLY_MESSAGES.set(req, left);
    return taken;
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

function reportUndelivered(req: AjaxRequest): void {
  const left = REQUEST_ONLY_MESSAGES.get(req);
  if (!left || left.length === 0) return;
  const texts = left.map((m) => JSON.stringify(m.message)).join(', ');
  logger.warn(
    `${left.length} message(s) could not be delivered and are lost, as the request has no session: ${texts}. ` +
      'Return a plain object (or an AjaxResponse) through AjaxMessagesInterceptor, or enable a session.',
  );
}
