import { Logger } from '@nestjs/common';
import type { AjaxRequest } from '../ajax-request.interface.js';
import type { AjaxMessage } from './ajax-message.interface.js';
import type { MessageStorage } from './message-storage.interface.js';

const NO_MESSAGES: readonly AjaxMessage[] = Object.freeze([]);

/** Where a request without a session keeps its messages: on the request itself. */
const REQUEST_ONLY_MESSAGES = Symbol('nestjs-ajax:request-only-messages');

type RequestWithLocalMessages = AjaxRequest & { [REQUEST_ONLY_MESSAGES]?: AjaxMessage[] };

/**
 * The default storage: pending messages live in `req.session[sessionKey]`
 * (Django's `SessionStorage` uses `_messages` too), so a message added before a
 * redirect is delivered by the next JSON response of the same visitor, and works
 * with any express-session store.
 *
 * A message is written to the session as soon as it is added, not at the end of
 * the request: express-session saves the session when the response ends, whoever
 * ends it (a redirect, `@Res()`, a stream), so an undelivered message is never
 * left behind.
 *
 * Without a session, messages live on the request only; one still undelivered
 * when the response closes is logged as a warning, since it is gone.
 * @internal
 */
export class SessionMessageStorage implements MessageStorage {
  private readonly logger = new Logger('AjaxMessages');
  private missingSessionReported = false;

  constructor(private readonly sessionKey: string) {}

  add(req: AjaxRequest, message: AjaxMessage): void {
    const session = req.session;
    if (session) {
      const kept = session[this.sessionKey];
      if (Array.isArray(kept)) kept.push(message);
      else session[this.sessionKey] = [message];
      return;
    }
    this.requestOnlyMessages(req).push(message);
  }

  peek(req: AjaxRequest): readonly AjaxMessage[] {
    return this.collect(req, false);
  }

  take(req: AjaxRequest): readonly AjaxMessage[] {
    return this.collect(req, true);
  }

  private collect(req: RequestWithLocalMessages, remove: boolean): readonly AjaxMessage[] {
    const session = req.session;
    if (!session) {
      const local = req[REQUEST_ONLY_MESSAGES];
      if (!local || local.length === 0) return NO_MESSAGES;
      if (remove) req[REQUEST_ONLY_MESSAGES] = [];
      return local;
    }
    const kept = session[this.sessionKey];
    if (kept === undefined) return NO_MESSAGES;
    // Not `delete`: it would turn the session object into a slow dictionary on every delivery.
    // A session store serialises it to JSON, which leaves an undefined key out.
    if (remove) session[this.sessionKey] = undefined;
    return this.validMessages(kept);
  }

  /** The session is data from a store, possibly written by another version or app: keep only real messages. */
  private validMessages(kept: unknown): readonly AjaxMessage[] {
    if (!Array.isArray(kept)) {
      this.logger.warn(`req.session.${this.sessionKey} is not a list of messages; it was ignored.`);
      return NO_MESSAGES;
    }
    return kept.every(isAjaxMessage) ? kept : kept.filter(isAjaxMessage);
  }

  private requestOnlyMessages(req: RequestWithLocalMessages): AjaxMessage[] {
    let local = req[REQUEST_ONLY_MESSAGES];
    if (!local) {
      local = req[REQUEST_ONLY_MESSAGES] = [];
      this.reportMissingSession();
      req.res?.once('close', () => this.reportUndelivered(req));
    }
    return local;
  }

  private reportMissingSession(): void {
    if (this.missingSessionReported) return;
    this.missingSessionReported = true;
    this.logger.warn(
      'A message was added on a request without req.session: messages will not outlive their request. ' +
        'To carry them across redirects, register express-session before the routes, e.g. ' +
        "app.use(session({ secret: '…', resave: false, saveUninitialized: false })).",
    );
  }

  private reportUndelivered(req: RequestWithLocalMessages): void {
    const left = req[REQUEST_ONLY_MESSAGES];
    if (!left || left.length === 0) return;
    const texts = left.map((m) => JSON.stringify(m.message)).join(', ');
    this.logger.warn(
      `${left.length} message(s) could not be delivered and are lost, as the request has no session: ${texts}. ` +
        'Return a plain object (or an AjaxResponse) through AjaxMessagesInterceptor, or enable express-session.',
    );
  }
}

function isAjaxMessage(value: unknown): value is AjaxMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  return typeof m.message === 'string' && typeof m.tags === 'string' && typeof m.level === 'number';
}
