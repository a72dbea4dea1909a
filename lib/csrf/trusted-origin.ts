/** `scheme://host[:port]` and nothing after it; the URL parser alone would accept a path, or trim spaces. */
const ORIGIN_SHAPE = /^[a-z][a-z0-9+.-]*:\/\/[^/?#\\]+$/i;

/**
 * A trusted origin as browsers write it in `Origin` (lower-case scheme and
 * host, no default port: `HTTPS://Admin.Example:443` is
 * `https://admin.example`), or why the value is not an origin. The rules are
 * Nest 12.1's for `app.enableCsrfProtection({ trustedOrigins })` (after Go's
 * `AddTrustedOrigin`), so that one list means the same to both: a scheme and
 * a host; no path (not even `/`), query string, fragment, credentials or
 * wildcard. A problem reads after "which": `has credentials`.
 * @internal
 */
export function normalizeTrustedOrigin(value: unknown): { origin: string } | { problem: string } {
  if (typeof value !== 'string' || value === '') return { problem: 'is not a non-empty string' };
  if (!ORIGIN_SHAPE.test(value)) return { problem: 'is not scheme://host[:port] alone (no path, not even a trailing "/", no query string or fragment)' };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { problem: 'is not a URL' };
  }
  if (!url.host) return { problem: 'has no host' };
  if (url.username || url.password) return { problem: 'has credentials' };
  if (url.host.includes('*')) return { problem: 'has a wildcard, which matches nothing: list each origin' };
  return { origin: `${url.protocol}//${url.host}` };
}
