import type { AjaxRequest } from '../ajax-request.interface.js';
import type { ResolvedCsrfOptions } from '../options/resolve-ajax-options.js';
import { crossOriginFacts, crossOriginVerdict, headerValue, SAFE_METHODS } from './cross-origin-verdict.js';

/**
 * Why an unsafe request must be refused, or `undefined` to let it through:
 * the cross-site decision of Nest 12.1's `app.enableCsrfProtection()`
 * (`crossOriginVerdict()`) with `csrf.trustedOrigins`; then, in strict
 * mode, the custom header, which a cross-site form or simple request cannot set.
 * @internal
 */
export function crossOriginRefusal(req: AjaxRequest, csrf: ResolvedCsrfOptions): string | undefined {
  if (SAFE_METHODS.has(req.method)) return undefined;
  // Also behind Nest's own check (app.enableCsrfProtection()): its exclude and trustedOrigins are the app's, and must
  // not open a route that @Ajax() or the guard closes. Both pass only on an unambiguous yes; this costs two header reads.
  const facts = crossOriginFacts(req);
  const verdict = crossOriginVerdict(facts, csrf.trustedOrigins);
  if (!verdict.allowed) {
    return verdict.reason === 'cross-origin-sec-fetch-site'
      ? `Cross-site request refused: Sec-Fetch-Site is "${facts.secFetchSite}"${facts.origin ? ` and ${facts.origin} is not a trusted origin` : ''}.`
      : `Cross-site request refused: Origin ${facts.origin} does not match the host ${facts.host ?? '(none)'}.`;
  }
  if (csrf.requiredHeader && !headerValue(req, csrf.requiredHeader)) {
    return `Request refused: the ${csrf.requiredHeader} header is required.`;
  }
  return undefined;
}
