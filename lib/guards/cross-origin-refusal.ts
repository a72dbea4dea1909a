import type { AjaxRequest } from '../ajax-request.interface.js';
import type { ResolvedCsrfOptions } from '../options/resolve-ajax-options.js';

/** Methods that must not change state (RFC 9110 §9.2.1): never refused. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function header(req: AjaxRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** `host[:port]` of an Origin header value, or undefined for `null` and garbage. */
function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

/**
 * Why an unsafe request must be refused as cross-site, or `undefined` to let it
 * through: the Fetch Metadata defence (OWASP), after Go's
 * `http.CrossOriginProtection`.
 *
 * 1. Safe methods pass.
 * 2. With `Sec-Fetch-Site` (all current browsers send it): `same-origin` and
 *    `none` (typed in the address bar) pass; `same-site` and `cross-site`
 *    pass only from a trusted origin.
 * 3. Without it, an `Origin` must name the request's own host, or be trusted.
 * 4. With neither header the request is not from a browser (or from a very
 *    old one) and passes: a forged cross-site request always carries one.
 * 5. Strict mode then also requires the custom header, which a cross-site
 *    form or simple request cannot set.
 * @internal
 */
export function crossOriginRefusal(req: AjaxRequest, csrf: ResolvedCsrfOptions): string | undefined {
  if (SAFE_METHODS.has(req.method)) return undefined;
  const origin = header(req, 'origin');
  const trusted = origin !== undefined && csrf.trustedOrigins.has(origin);
  const site = header(req, 'sec-fetch-site');
  if (site !== undefined) {
    if (site !== 'same-origin' && site !== 'none' && !trusted) {
      return `Cross-site request refused: Sec-Fetch-Site is "${site}"${origin ? ` and ${origin} is not a trusted origin` : ''}.`;
    }
  } else if (origin !== undefined && !trusted && hostOf(origin) !== header(req, 'host')) {
    return `Cross-site request refused: Origin ${origin} does not match the host ${header(req, 'host') ?? '(none)'}.`;
  }
  if (csrf.requiredHeader && !header(req, csrf.requiredHeader)) {
    return `Request refused: the ${csrf.requiredHeader} header is required.`;
  }
  return undefined;
}
