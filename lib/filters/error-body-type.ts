import { isJsonMediaType, JSON_CONTENT_TYPE } from '../json-media-type.js';
import type { AjaxErrorFormat } from '../options/ajax-module-options.interface.js';
import type { HttpPlatform } from '../platform/http-platform.interface.js';
import { errorContentType } from './error-body.js';

/**
 * The media type to send an error body with: problem details' own in that
 * format; otherwise the type the route set if it is a JSON one
 * (`application/vnd.api+json`), and plain JSON in place of any other. A
 * route that set `text/html` for a page and then threw must not have the
 * error body, which may carry the visitor's messages (and what they echo),
 * read by the browser as HTML.
 * @internal
 */
export function errorBodyType(platform: HttpPlatform, response: object, format: AjaxErrorFormat): string | undefined {
  const own = errorContentType(format);
  if (own !== undefined) return own;
  const set = platform.getHeader(response, 'Content-Type');
  if (set === undefined || isJsonMediaType(set)) return undefined;
  return JSON_CONTENT_TYPE;
}
