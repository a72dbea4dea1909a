import type { AjaxRequest } from '../../ajax-request.interface.js';
import type { ResolvedAjaxOptions } from '../../options/resolve-ajax-options.js';
import { AjaxResponse } from '../../responses/ajax-response.js';
import { renderAjaxResponseAnywhere } from '../../responses/render-ajax-response.js';
import type { HttpPlatform } from '../http-platform.interface.js';

type Json = ((this: AnsweringResponse, body: unknown) => unknown) & { [RENDERS_AJAX_RESPONSE]?: true };

/** The Express response, as its prototype's `json` sees it. */
interface AnsweringResponse {
  req: AjaxRequest;
}

/** Marks the app's `json` once it renders AjaxResponse, so two copies of the module wrap it once. */
const RENDERS_AJAX_RESPONSE = Symbol.for('nestjs-ajax:renders-ajax-response');

/**
 * Makes an `AjaxResponse`'s status (and the header it requires) hold on every
 * route of the app, not only where messages are delivered: it wraps the
 * `json` of the app's response prototype once, so every other body costs one
 * `instanceof`. Routes that deliver messages render the AjaxResponse before
 * this sees it.
 * @internal
 */
export function renderAjaxResponseInJson(platform: HttpPlatform, prototype: { json: Json }, options: ResolvedAjaxOptions): void {
  const json = prototype.json;
  if (json[RENDERS_AJAX_RESPONSE]) return;
  const wwwAuthenticate = options.wwwAuthenticate;
  const rendering: Json = function jsonRenderingAjaxResponse(this: AnsweringResponse, body: unknown): unknown {
    if (!(body instanceof AjaxResponse)) return json.call(this, body);
    return json.call(this, renderAjaxResponseAnywhere(body, platform, this.req, this, wwwAuthenticate));
  };
  rendering[RENDERS_AJAX_RESPONSE] = true;
  prototype.json = rendering;
}
