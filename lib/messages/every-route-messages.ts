import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { type AbstractHttpAdapter, HttpAdapterHost } from '@nestjs/core';
import { AJAX_OPTIONS } from '../ajax.constants.js';
import { isPlainObject } from '../is-plain-object.js';
import type { ResolvedAjaxOptions } from '../options/resolve-ajax-options.js';
import { platformOf } from '../platform/platform-of.js';
import { AjaxResponse } from '../responses/ajax-response.js';
import { wantsMessagesInHeader } from './htmx/htmx-request.js';

type Reply = AbstractHttpAdapter['reply'];
type Render = AbstractHttpAdapter['render'];

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
 *
 * An htmx request reads no JSON: any answer of `reply()`, and a `@Render()`
 * route's through the adapter's `render()`, gives it the messages in
 * `HX-Trigger` where its body does not carry them (`messages.htmx`).
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
    const render: Render = adapter.render;
    const options = this.options;
    adapter.reply = function replyWithMessages(this: AbstractHttpAdapter, response: object, body: unknown, status?: number): unknown {
      const json = isPlainObject(body) || body instanceof AjaxResponse;
      if (json || options.messages.htmx) deliverMessages(response, json, options);
      return reply.call(this, response, body, status);
    } as Reply;
    adapter.render = function renderWithMessages(this: AbstractHttpAdapter, response: object, view: string, locals: unknown): unknown {
      if (options.messages.htmx) deliverMessages(response, false, options);
      return render.call(this, response, view, locals);
    } as Render;
  }
}

/** Asks the platform to deliver the messages: with a JSON body, or else to an htmx request only. */
function deliverMessages(response: object, json: boolean, options: ResolvedAjaxOptions): void {
  const platform = platformOf(response);
  const request = platform.requestOf(response);
  if (request && (json || wantsMessagesInHeader(request, options))) platform.deliverMessagesWithJson(request, response, options);
}
