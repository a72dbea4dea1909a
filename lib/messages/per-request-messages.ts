import type { AjaxRequest } from '../ajax-request.interface.js';
import { AjaxConfigurationError } from '../ajax.errors.js';
import type { ResolvedMessagesOptions } from '../options/resolve-ajax-options.js';
import { appOptionsOf } from '../platform/platform-of.js';
import { MessagesApi } from './messages-api.js';
import type { RequestMessages } from './request-messages.interface.js';

/**
 * The messages of one request, handed to it: what `@Messages()` gives. Its
 * request and settings are private fields, not properties: global pipes see
 * this value, and one that walks an object's properties (class-transformer)
 * would otherwise walk into the request and its socket.
 * @internal
 */
export class PerRequestMessages extends MessagesApi {
  readonly #request: AjaxRequest;
  readonly #settings: ResolvedMessagesOptions;

  constructor(request: AjaxRequest, settings: ResolvedMessagesOptions) {
    super();
    this.#request = request;
    this.#settings = settings;
  }

  /** @internal */
  protected get request(): AjaxRequest {
    return this.#request;
  }

  /** @internal */
  protected get settings(): ResolvedMessagesOptions {
    return this.#settings;
  }
}

/**
 * `@Messages()`'s value: the request's messages, with the options of the app
 * it belongs to (found on the request, so that no pipe is needed to reach
 * them).
 * @internal
 */
export function messagesOfRequest(req: AjaxRequest): RequestMessages {
  // Not an object where a context has no HTTP request (GraphQL, RPC): answered as any request without options.
  const options = typeof req === 'object' && req !== null ? appOptionsOf(req) : undefined;
  if (!options) {
    throw new AjaxConfigurationError(
      '@Messages() was handed a request of an HTTP app that AjaxModule.forRoot() did not set up, or an object that is no request of such an app. ' +
        'Import AjaxModule.forRoot() once, in the root module of the app whose routes use @Messages().',
    );
  }
  return new PerRequestMessages(req, options.messages);
}
