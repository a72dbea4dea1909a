import { Inject, Injectable, Optional, type PipeTransform } from '@nestjs/common';
import type { AjaxRequest } from '../ajax-request.interface.js';
import { AJAX_OPTIONS } from '../ajax.constants.js';
import { requireAjaxOptions, type ResolvedAjaxOptions } from '../options/resolve-ajax-options.js';
import { RequestMessages } from './request-messages.js';

/**
 * Turns the request that `@Messages()` extracts into its `RequestMessages`.
 * A pipe, because a pipe is built by Nest's injector and so can read the
 * module's options, while a parameter decorator's factory cannot.
 * @internal
 */
@Injectable()
export class MessagesPipe implements PipeTransform<AjaxRequest, RequestMessages> {
  private readonly options: ResolvedAjaxOptions;

  constructor(@Optional() @Inject(AJAX_OPTIONS) options?: ResolvedAjaxOptions) {
    this.options = requireAjaxOptions(options, '@Messages()');
  }

  transform(request: AjaxRequest): RequestMessages {
    return new RequestMessages(request, this.options.messages);
  }
}
