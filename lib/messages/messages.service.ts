import { Inject, Injectable, Optional, Scope } from '@nestjs/common';
import { REQUEST } from '@nestjs/core';
import type { AjaxRequest } from '../ajax-request.interface.js';
import { AJAX_OPTIONS } from '../ajax.constants.js';
import { requireAjaxOptions, type ResolvedAjaxOptions } from '../options/resolve-ajax-options.js';
import { PerRequestMessages } from './per-request-messages.js';

/**
 * Django's messages API as an injectable, request-scoped service. It shares
 * its messages and level with `@Messages()` in the same request.
 *
 * Being request-scoped, it makes every provider and controller that injects it
 * request-scoped too, which costs throughput; `@Messages()` gives the same API
 * without that cost.
 *
 * @example
 * @Controller('polls')
 * export class PollsController {
 *   constructor(private readonly messages: MessagesService) {}
 *
 *   @Post(':id/vote')
 *   @Ajax({ loginRequired: true, requirePost: true })
 *   vote() {
 *     this.messages.success('Vote recorded.');
 *     return new AjaxResponse({ votes: 3 }, { success: true });
 *   }
 * }
 */
@Injectable({ scope: Scope.REQUEST })
export class MessagesService extends PerRequestMessages {
  constructor(
    @Inject(REQUEST) request: AjaxRequest,
    @Optional() @Inject(AJAX_OPTIONS) options?: ResolvedAjaxOptions,
  ) {
    super(request, requireAjaxOptions(options, 'MessagesService').messages);
  }
}
