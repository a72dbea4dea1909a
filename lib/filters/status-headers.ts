import { HttpStatus } from '@nestjs/common';
import type { AjaxRequest } from '../ajax-request.interface.js';
import type { HttpPlatform } from '../platform/http-platform.interface.js';

/**
 * The headers a status requires, wherever the status came from (a guard, an
 * exception, `@HttpCode()`, an `AjaxResponse`): a 401 its `WWW-Authenticate`
 * challenge (RFC 9110 §15.5.2), a 405 its `Allow` list (§15.5.6) when the
 * app's routes say which methods the path has. Headers already set are kept.
 * @internal
 */
export function addStatusHeaders(platform: HttpPlatform, req: AjaxRequest, res: object, status: number, wwwAuthenticate: string): void {
  if (status === HttpStatus.UNAUTHORIZED) {
    if (!platform.getHeader(res, 'WWW-Authenticate')) platform.setHeader(res, 'WWW-Authenticate', wwwAuthenticate);
  } else if (status === HttpStatus.METHOD_NOT_ALLOWED && !platform.getHeader(res, 'Allow')) {
    const { methods } = platform.routesServingPath(req);
    if (methods.length > 0) platform.setHeader(res, 'Allow', methods.join(', '));
  }
}
