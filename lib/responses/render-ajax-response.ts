import type { AjaxRequest } from '../ajax-request.interface.js';
import { addStatusHeaders } from '../filters/status-headers.js';
import type { HttpPlatform } from '../platform/http-platform.interface.js';
import { AjaxResponse } from './ajax-response.js';

/**
 * What a JSON answer sends for `body`: an `AjaxResponse` sets its status on
 * the response and gives its JSON data; anything else is sent as it is. The
 * one place that reads an AjaxResponse, for every platform and route.
 * @internal
 */
export function renderAjaxResponse(body: unknown, platform: HttpPlatform, res: object): unknown {
  if (!(body instanceof AjaxResponse)) return body;
  if (body.status !== undefined) platform.setStatus(res, body.status);
  return body.toJSON();
}

/**
 * An `AjaxResponse` sent on a route that does not deliver messages (see each
 * platform's app-wide rendering): its status, the header that status
 * requires, and its JSON data.
 * @internal
 */
export function renderAjaxResponseAnywhere(body: AjaxResponse, platform: HttpPlatform, req: AjaxRequest, res: object, wwwAuthenticate: string): unknown {
  const data = renderAjaxResponse(body, platform, res);
  if (body.status !== undefined) addStatusHeaders(platform, req, res, body.status, wwwAuthenticate);
  return data;
}
