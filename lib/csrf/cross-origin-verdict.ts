import type { AjaxRequest } from '../ajax-request.interface.js';

/** What a request says of where it comes from: all the cross-site decision reads. @internal */
export interface CrossOriginFacts {
  /** The method, compared case-sensitively, as HTTP defines methods. */
  readonly method: string;
  readonly secFetchSite?: string;
  readonly origin?: string;
  /** The authority the request was sent to: `:authority` on HTTP/2, else `Host`. */
  readonly host?: string;
}

/**
 * The decision, with the reason names of Nest's own (`evaluateCrossOriginRequest`),
 * so that the two can be compared case by case.
 * @internal
 */
export type CrossOriginVerdict =
  | { readonly allowed: true; readonly reason: 'safe-method' | 'same-origin' | 'origin-matches-host' | 'no-browser-headers' | 'trusted-origin' }
  | { readonly allowed: false; readonly reason: 'cross-origin-sec-fetch-site' | 'cross-origin-origin-header' };

/** Methods that must not change state (RFC 9110 §9.2.1): never refused. @internal */
export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

const DEFAULT_PORTS: Readonly<Record<string, string>> = { 'http:': '80', 'https:': '443' };

/**
 * One header's value; a repeated header's values joined, so that a request
 * with conflicting values never equals `same-origin` or a trusted origin.
 * @internal
 */
export function headerValue(req: AjaxRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The facts of a request, read as Nest 12.1's `app.enableCsrfProtection()` reads them. @internal */
export function crossOriginFacts(req: AjaxRequest): CrossOriginFacts {
  return {
    method: req.method,
    secFetchSite: headerValue(req, 'sec-fetch-site'),
    origin: headerValue(req, 'origin'),
    // RFC 9113 §8.3.1: on HTTP/2, ":authority" names the target and wins over a Host header.
    host: headerValue(req, ':authority') ?? headerValue(req, 'host'),
  };
}

/**
 * Whether an unsafe request comes from the site itself: the algorithm of Go's
 * `http.CrossOriginProtection`, exactly as Nest 12.1 ports it for
 * `app.enableCsrfProtection()`, so that the module and Nest never disagree
 * (test/unit/cross-origin-check.spec.ts holds the two side by side).
 *
 * 1. `GET`, `HEAD` and `OPTIONS` pass.
 * 2. A non-empty `Sec-Fetch-Site` decides: `same-origin` and `none` (typed in
 *    the address bar) pass; anything else passes only from a trusted origin.
 * 3. Without it, a request without `Origin` is no browser's forgery (a forged
 *    one always carries one of the two) and passes.
 * 4. Else `Origin`'s host must be the authority the request was sent to,
 *    compared case-insensitively and with the scheme's default port implied
 *    (`https://a.example` is `a.example:443`), or `Origin` must be trusted.
 * @param trustedOrigins normalised as `normalizeTrustedOrigin()` gives them,
 *   which is how browsers write `Origin`.
 * @internal
 */
export function crossOriginVerdict(facts: CrossOriginFacts, trustedOrigins: ReadonlySet<string>): CrossOriginVerdict {
  if (SAFE_METHODS.has(facts.method)) return { allowed: true, reason: 'safe-method' };
  return siteVerdict(facts, trustedOrigins);
}

/**
 * Steps 2 to 4 of `crossOriginVerdict()`, whatever the method: whether the
 * request comes from the app's own pages (or a trusted origin) as far as the
 * browser says. What decides whether an answer may take the visitor's
 * messages (`fromAnotherSite()`).
 * @internal
 */
export function siteVerdict(facts: CrossOriginFacts, trustedOrigins: ReadonlySet<string>): CrossOriginVerdict {
  const { secFetchSite, origin, host } = facts;
  if (secFetchSite) {
    if (secFetchSite === 'same-origin' || secFetchSite === 'none') return { allowed: true, reason: 'same-origin' };
    return trustedOr(origin, trustedOrigins, 'cross-origin-sec-fetch-site');
  }
  if (!origin) return { allowed: true, reason: 'no-browser-headers' };
  if (host !== undefined && originMatchesHost(origin, host)) return { allowed: true, reason: 'origin-matches-host' };
  return trustedOr(origin, trustedOrigins, 'cross-origin-origin-header');
}

function trustedOr(
  origin: string | undefined,
  trustedOrigins: ReadonlySet<string>,
  reason: 'cross-origin-sec-fetch-site' | 'cross-origin-origin-header',
): CrossOriginVerdict {
  return origin !== undefined && trustedOrigins.has(origin) ? { allowed: true, reason: 'trusted-origin' } : { allowed: false, reason };
}

/** Whether `Origin` names `host`; `null` (an opaque origin) and anything not a URL name no host. */
function originMatchesHost(origin: string, host: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (!url.host) return false;
  // The URL parser has lower-cased the host and dropped a default port; the Host header has neither done.
  const authority = host.toLowerCase();
  if (url.host === authority) return true;
  const defaultPort = DEFAULT_PORTS[url.protocol];
  return !url.port && defaultPort !== undefined && `${url.hostname}:${defaultPort}` === authority;
}
