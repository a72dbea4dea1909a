import { HttpStatus } from '@nestjs/common';
import type { AjaxRequest } from '../ajax-request.interface.js';
import { routesServingPath } from './route-methods.js';

/** The response calls the step makes. @internal */
export interface StatusHeadersResponse {
  getHeader(name: string): unknown;
  setHeader(name: string, value: string): unknown;
}

/**
 * The headers a status requires, wherever the status came from (a guard, an
 * exception, `@HttpCode()`, an `AjaxResponse`): a 401 its `WWW-Authenticate`
 * challenge (RFC 9110 §15.5.2), a 405 its `Allow` list (§15.5.6) when the
 * app's routes say which methods the path has. Headers already set are kept.
 * @internal
 */
export function addStatusHeaders(req: AjaxRequest, res: StatusHeadersResponse, status: number, wwwAuthenticate: string): void {
  if (status === HttpStatus.UNAUTHORIZED) {
    if (!res.getHeader('WWW-Authenticate')) res.setHeader('WWW-Authenticate', wwwAuthenticate);
  } else if (status === HttpStatus.METHOD_NOT_ALLOWED && !res.getHeader('Allow')) {
    const { methods } = routesServingPath(req);
    if (methods.length > 0) res.setHeader('Allow', methods.join(', '));
  }
}
