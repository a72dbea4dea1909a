import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { AjaxRequest } from '../ajax-request.interface.js';
import { AJAX_OPTIONS } from '../ajax.constants.js';
import { MessagesOutsideRequestError } from '../context/outside-request.error.js';
import { currentRequest } from '../context/request-context.js';
import { requireAjaxOptions, type ResolvedAjaxOptions, type ResolvedMessagesOptions } from '../options/resolve-ajax-options.js';
import { platformOf } from '../platform/platform-of.js';
import { checkAddArguments, MessagesApi } from './messages-api.js';

/**
 * Django's messages API as an injectable service, for the request being
 * handled: each request sees only its own messages, and shares them and its
 * level with `@Messages()` in the same request.
 *
 * A singleton: it finds the request through Node's `AsyncLocalStorage`, which
 * the module enters once per request, so injecting it costs nothing and never
 * makes the controllers and services that inject it request-scoped. Used
 * where no request is being handled (at start-up, in a scheduled job started
 * then), or for a request whose response has gone, it throws
 * `MessagesOutsideRequestError`.
 *
 * @example
 * @Injectable()
 * export class VotesService {
 *   constructor(private readonly messages: MessagesService) {}
 *
 *   record(choice: number): void {
 *     // …
 *     this.messages.success('Vote recorded.');
 *   }
 * }
 */
@Injectable()
export class MessagesService extends MessagesApi {
  /** @internal */
  protected readonly settings: ResolvedMessagesOptions;

  // Typed `object`: the options' resolved shape is the module's own business, not part of this class's API.
  constructor(@Optional() @Inject(AJAX_OPTIONS) options?: object) {
    super();
    this.settings = requireAjaxOptions(options as ResolvedAjaxOptions | undefined, 'MessagesService').messages;
  }

  /**
   * Adds a message for the visitor of the request being handled. After that
   * request's response has gone the message is dropped, and logged: nobody
   * would see it (and code running that late may be another visitor's).
   */
  override add(level: number, message: string, extraTags = ''): void {
    // Looked up once: each look-up asks AsyncLocalStorage, and whether the response is over (on Express, reads that miss V8's caches).
    const request = currentRequest();
    if (request && platformOf(request).responseOver(request)) return reportLate(message);
    checkAddArguments(level, extraTags);
    if (!request) throw new MessagesOutsideRequestError(this.untracked() ? 'untracked' : 'outside');
    this.addFor(request, level, message, extraTags);
  }

  /** @internal */
  protected get request(): AjaxRequest {
    const request = currentRequest();
    if (!request) throw new MessagesOutsideRequestError(this.untracked() ? 'untracked' : 'outside');
    // A connection or an emitter made during a request carries it into every later callback, that request over
    // long since: its messages are no business of code running then.
    if (platformOf(request).responseOver(request)) throw new MessagesOutsideRequestError('after');
    return request;
  }

  /** Whether this service's app has decided, at its first request, to follow none (nothing in it asks for the service). */
  private untracked(): boolean {
    return (this as { [FOLLOWS_NONE]?: true })[FOLLOWS_NONE] === true;
  }
}

/** Set on the app's own service once the app has decided to follow no request (`followsNoRequest()`). */
const FOLLOWS_NONE = Symbol('nestjs-ajax:follows-no-request');

/**
 * Notes on an app's service that its app follows no request, so that it says
 * why it finds none (before the app's first request nothing is decided, and
 * a use then is outside any request).
 * @internal
 */
export function followsNoRequest(service: MessagesService): void {
  (service as MessagesService & { [FOLLOWS_NONE]?: true })[FOLLOWS_NONE] = true;
}

const logger = new Logger('AjaxMessages');
let lateReported = false;

/** Says once that messages come too late: a timer or a callback outliving its request is what adds them. */
function reportLate(message: string): void {
  if (lateReported) return;
  lateReported = true;
  logger.warn(
    `A message was added after the response to its request had been sent, so it was dropped (logged once): ${JSON.stringify(String(message))}. ` +
      'Add messages before the handler answers; a callback of a connection or an emitter made during an earlier request runs as that request.',
  );
}
