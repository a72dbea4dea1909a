import { Inject, Injectable, Optional } from '@nestjs/common';
import type { AjaxRequest } from '../ajax-request.interface.js';
import { AJAX_OPTIONS } from '../ajax.constants.js';
import { MessagesOutsideRequestError } from '../context/outside-request.error.js';
import { currentRequest } from '../context/request-context.js';
import { requireAjaxOptions, type ResolvedAjaxOptions, type ResolvedMessagesOptions } from '../options/resolve-ajax-options.js';
import { MessagesApi } from './messages-api.js';

/**
 * Django's messages API as an injectable service, for the request being
 * handled: each request sees only its own messages, and shares them and its
 * level with `@Messages()` in the same request.
 *
 * A singleton: it finds the request through Node's `AsyncLocalStorage`, which
 * the module enters once per request, so injecting it costs nothing and never
 * makes the controllers and services that inject it request-scoped. Used
 * where no request is being handled (at start-up, in a scheduled job), it
 * throws `MessagesOutsideRequestError`.
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

  /** @internal */
  protected get request(): AjaxRequest {
    const request = currentRequest();
    if (!request) throw new MessagesOutsideRequestError();
    return request;
  }
}
