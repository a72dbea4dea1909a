import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { type AbstractHttpAdapter, HttpAdapterHost } from '@nestjs/core';
import { AJAX_OPTIONS } from '../ajax.constants.js';
import { isPlainObject } from '../is-plain-object.js';
import type { ResolvedAjaxOptions } from '../options/resolve-ajax-options.js';
import { platformOf } from '../platform/platform-of.js';
import { AjaxResponse } from '../responses/ajax-response.js';

type Reply = AbstractHttpAdapter['reply'];

/** Marks an adapter whose `reply()` delivers messages, so that two global imports wrap it once. */
const DELIVERS = Symbol.for('nestjs-ajax:reply-delivers-messages');

/**
 * With `applyToEveryRoute: true`, the JSON answer of every route carries the pending
 * messages, as `AjaxMessagesInterceptor` on each route would, without an
 * interceptor: Nest's interceptor pipeline alone costs a small route more
 * than a tenth of its throughput (bench/RESULTS.md).
 *
 * A handler's result reaches the client through the HTTP adapter's `reply()`;
 * a handler that answers itself (`@Res()`, `@Next()`), a `@Redirect()`, a
 * `@Render()` and an `@Sse()` route never reach it, and their answers leave
 * the messages pending, as with the interceptor. So the app's adapter has its
 * `reply()` deliver messages when the body is an object that may carry them;
 * the platform's JSON write then decides, as it does for `@Ajax()`. An app's
 * exception filter that answers through `reply()` too (Nest's
 * `BaseExceptionFilter`, `httpAdapter.reply()`) gets them on its body, as the
 * module's filter does; one that writes the response itself does not.
 * @internal
 */
@Injectable()
export class EveryRouteMessages implements OnApplicationBootstrap {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(AJAX_OPTIONS) private readonly options: ResolvedAjaxOptions,
  ) {}

  onApplicationBootstrap(): void {
    const adapter = this.adapterHost.httpAdapter as (AbstractHttpAdapter & { [DELIVERS]?: true }) | undefined;
    if (!adapter || adapter[DELIVERS]) return;
    adapter[DELIVERS] = true;
    const reply: Reply = adapter.reply;
    const options = this.options;
    adapter.reply = function replyWithMessages(this: AbstractHttpAdapter, response: object, body: unknown, status?: number): unknown {
      if (isPlainObject(body) || body instanceof AjaxResponse) {
        const platform = platformOf(response);
        const request = platform.requestOf(response);
        if (request) platform.deliverMessagesWithJson(request, response, options);
      }
      return reply.call(this, response, body, status);
    } as Reply;
  }
}
