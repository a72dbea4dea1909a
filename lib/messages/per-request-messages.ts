import type { AjaxRequest } from '../ajax-request.interface.js';
import type { ResolvedMessagesOptions } from '../options/resolve-ajax-options.js';
import { MessagesApi } from './messages-api.js';

/**
 * The messages of one request, handed to it: what `@Messages()` gives.
 * @internal
 */
export class PerRequestMessages extends MessagesApi {
  constructor(
    /** @internal */ protected readonly request: AjaxRequest,
    /** @internal */ protected readonly settings: ResolvedMessagesOptions,
  ) {
    super();
  }
}
