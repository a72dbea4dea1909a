import type { ResolvedAjaxOptions } from '../../options/resolve-ajax-options.js';
import { AjaxResponse } from '../../responses/ajax-response.js';
import { labelProblemDetails } from '../../filters/problem-media-type.js';
import { renderAjaxResponseAnywhere } from '../../responses/render-ajax-response.js';
import type { HttpPlatform } from '../http-platform.interface.js';
import { type HookedResponse, takeDelivery, writeJson } from './json-hook.js';

type Json = ((this: HookedResponse, body: unknown) => unknown) & { [APP_JSON]?: true };

/** Marks the app's `json` once it is the module's, so two copies of the module wrap it once. */
const APP_JSON = Symbol.for('nestjs-ajax:app-json');

/**
 * The module's `json` for every response of the app, put once on the app's
 * response prototype: it delivers the pending messages where a guard, the
 * interceptor or the global option asked for it (`hookJson()`), and makes an
 * `AjaxResponse`'s status (and the header it requires) hold on every other
 * route too, and labels the module's problem details `application/problem+json`.
 * Any other body costs a table look-up, a property read and an `instanceof`.
 * @internal
 */
export function jsonForApp(platform: HttpPlatform, prototype: { json: Json }, options: ResolvedAjaxOptions): void {
  const json = prototype.json;
  if (json[APP_JSON]) return;
  const wwwAuthenticate = options.wwwAuthenticate;
  const appJson: Json = function ajaxJson(this: HookedResponse, body: unknown): unknown {
    // A guard's refusal that Nest's own exception filter sends, in the problem details format.
    labelProblemDetails(platform, this, body);
    const delivery = takeDelivery(this);
    if (delivery) return writeJson(platform, body, delivery.req, this, json, delivery.options);
    if (!(body instanceof AjaxResponse)) return json.call(this, body);
    return json.call(this, renderAjaxResponseAnywhere(body, platform, this.req, this, wwwAuthenticate));
  };
  appJson[APP_JSON] = true;
  prototype.json = appJson;
}
