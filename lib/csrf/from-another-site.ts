import type { AjaxRequest } from '../ajax-request.interface.js';
import type { ResolvedCsrfOptions } from '../options/resolve-ajax-options.js';
import { crossOriginFacts, siteVerdict } from './cross-origin-verdict.js';

/**
 * Whether the browser says this request comes from another site's page
 * (`Sec-Fetch-Site: cross-site` or `same-site`, or without it an `Origin`
 * other than the app's) and not from a trusted origin: such a request's
 * answer takes none of the visitor's messages, whatever its method. A page of
 * another site could otherwise use them up, never reading them (the browser
 * keeps the body from it), just by loading an app URL as an image; they stay
 * pending for the app's own pages. With the module's cross-site check turned
 * off (`csrf: false`), the app serves other sites' pages on purpose, and
 * every answer takes them.
 * @internal
 */
export function fromAnotherSite(req: AjaxRequest, csrf: ResolvedCsrfOptions | undefined): boolean {
  if (!csrf) return false;
  // Neither header: no browser's cross-site request (and the common case of a client that is not a browser), at once.
  if (req.headers['sec-fetch-site'] === undefined && req.headers.origin === undefined) return false;
  return !siteVerdict(crossOriginFacts(req), csrf.trustedOrigins).allowed;
}
