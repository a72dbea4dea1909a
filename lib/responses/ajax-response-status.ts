import { Inject, Injectable, type OnApplicationBootstrap, Optional } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { AjaxRequest } from '../ajax-request.interface.js';
import { AJAX_OPTIONS } from '../ajax.constants.js';
import { addStatusHeaders, type StatusHeadersResponse } from '../filters/status-headers.js';
import type { ResolvedAjaxOptions } from '../options/resolve-ajax-options.js';
import { AjaxResponse } from './ajax-response.js';

type Json = ((this: AnsweringResponse, body: unknown) => unknown) & { [RENDERS_AJAX_RESPONSE]?: true };

/** The Express response, as its prototype's `json` sees it. */
interface AnsweringResponse extends StatusHeadersResponse {
  req: AjaxRequest;
  status(code: number): unknown;
}

/** Marks the app's `json` once it renders AjaxResponse, so two module instances wrap it once. */
const RENDERS_AJAX_RESPONSE = Symbol.for('nestjs-ajax:renders-ajax-response');

/**
 * Makes an `AjaxResponse`'s status (and the header it requires) hold on every
 * route of the app, not only where `@Ajax()`, the interceptor or the global
 * option deliver messages: without it, a handler returning
 * `new AjaxResponse(data, { status: 202 })` on a plain route answered 200.
 * It wraps the `json` of the app's Express response prototype once: every
 * other body costs one `instanceof`. Routes that deliver messages render the
 * AjaxResponse before this sees it. Express only, as the module is.
 * @internal
 */
@Injectable()
export class AjaxResponseStatus implements OnApplicationBootstrap {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Optional() @Inject(AJAX_OPTIONS) private readonly options?: ResolvedAjaxOptions,
  ) {}

  onApplicationBootstrap(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (adapter?.getType() !== 'express' || !this.options) return;
    const prototype = adapter.getInstance<{ response: { json: Json } }>().response;
    const json = prototype.json;
    if (json[RENDERS_AJAX_RESPONSE]) return;
    const wwwAuthenticate = this.options.wwwAuthenticate;
    const rendering: Json = function jsonRenderingAjaxResponse(this: AnsweringResponse, body: unknown): unknown {
      if (!(body instanceof AjaxResponse)) return json.call(this, body);
      const data = renderAjaxResponse(body, this);
      if (body.status !== undefined) addStatusHeaders(this.req, this, body.status, wwwAuthenticate);
      return json.call(this, data);
    };
    rendering[RENDERS_AJAX_RESPONSE] = true;
    prototype.json = rendering;
  }
}

/**
 * What a JSON answer sends for `body`: an `AjaxResponse` sets its status on
 * the response and gives its JSON data; anything else is sent as it is. The
 * one place that reads an AjaxResponse, for the app-wide `json` above and for
 * the routes that deliver messages.
 * @internal
 */
export function renderAjaxResponse(body: unknown, res: { status(code: number): unknown }): unknown {
  if (!(body instanceof AjaxResponse)) return body;
  if (body.status !== undefined) res.status(body.status);
  return body.toJSON();
}
