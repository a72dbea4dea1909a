import { Inject, Injectable, Optional, type PipeTransform } from '@nestjs/common';
import type { AjaxRequest } from '../ajax-request.interface.js';
import { AJAX_OPTIONS } from '../ajax.constants.js';
import { AjaxConfigurationError } from '../ajax.errors.js';
import { requireAjaxOptions, type ResolvedAjaxOptions } from '../options/resolve-ajax-options.js';
import { PerRequestMessages } from './per-request-messages.js';
import type { RequestMessages } from './request-messages.interface.js';

const REQUEST = Symbol('nestjs-ajax:messages-request');

/**
 * What `@Messages()` extracts: the request, under a symbol. Global pipes see
 * this value before `MessagesPipe` does, and a transforming pipe
 * (class-transformer) walks string keys: handed the request itself, it would
 * walk into its socket.
 * @internal
 */
export interface MessagesParam {
  readonly [REQUEST]: AjaxRequest;
}

/** @internal */
export function messagesParam(request: AjaxRequest): MessagesParam {
  return { [REQUEST]: request };
}

/**
 * Turns what `@Messages()` extracts into the request's `RequestMessages`.
 * A pipe, because a pipe is built by Nest's injector and so can read the
 * module's options, while a parameter decorator's factory cannot.
 * @internal
 */
@Injectable()
export class MessagesPipe implements PipeTransform<MessagesParam, RequestMessages> {
  private readonly options: ResolvedAjaxOptions;

  constructor(@Optional() @Inject(AJAX_OPTIONS) options?: ResolvedAjaxOptions) {
    this.options = requireAjaxOptions(options, '@Messages()');
  }

  transform(param: MessagesParam): RequestMessages {
    const request = param?.[REQUEST];
    if (!request) {
      throw new AjaxConfigurationError(
        'A pipe that runs before @Messages()\'s own replaced its value. Type the parameter as RequestMessages ' +
          '(an interface, which pipes leave alone), or keep that pipe away from custom parameter decorators.',
      );
    }
    return new PerRequestMessages(request, this.options.messages);
  }
}
