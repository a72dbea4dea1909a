import { ForbiddenException, type HttpServer } from '@nestjs/common';
import fc from 'fast-check';
import { refuseCrossSite } from '../../lib/guards/ajax-csrf.guard.js';
import { AjaxConfigurationError } from '../../lib/index.js';
import { resolveAjaxOptions } from '../../lib/options/resolve-ajax-options.js';
import { nestCsrf } from '../fixtures/nest-csrf.js';

/**
 * The module's cross-site check and Nest 12.1's `app.enableCsrfProtection()`
 * give the same answer to every request, and read `trustedOrigins` alike. Each
 * case runs through both (Nest's when the installed Nest has it) and is held to
 * the expected answer, so that on Nest 11 the module alone still meets the table.
 */

type Headers = Record<string, string | string[]>;

interface RequestCase {
  name: string;
  method?: string;
  headers: Headers;
  trusted?: string[];
  allowed: boolean;
}

const FORGED = { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example', host: 'a.example' };

const REQUESTS: RequestCase[] = [
  { name: 'a GET from another site', method: 'GET', headers: FORGED, allowed: true },
  { name: 'a HEAD from another site', method: 'HEAD', headers: FORGED, allowed: true },
  { name: 'an OPTIONS from another site', method: 'OPTIONS', headers: FORGED, allowed: true },
  { name: 'a lower-case "post" from another site (methods are case-sensitive)', method: 'post', headers: FORGED, allowed: false },
  { name: 'a PUT from another site', method: 'PUT', headers: FORGED, allowed: false },
  { name: 'a DELETE from another site', method: 'DELETE', headers: FORGED, allowed: false },
  { name: 'a POST with neither header (no browser)', headers: { host: 'a.example' }, allowed: true },
  { name: 'Sec-Fetch-Site: same-origin', headers: { 'sec-fetch-site': 'same-origin', host: 'a.example' }, allowed: true },
  { name: 'Sec-Fetch-Site: none', headers: { 'sec-fetch-site': 'none' }, allowed: true },
  { name: 'Sec-Fetch-Site: cross-site', headers: FORGED, allowed: false },
  { name: 'Sec-Fetch-Site: cross-site without Origin', headers: { 'sec-fetch-site': 'cross-site' }, allowed: false },
  { name: 'Sec-Fetch-Site: same-site', headers: { 'sec-fetch-site': 'same-site', origin: 'https://b.a.example', host: 'a.example' }, allowed: false },
  { name: 'Sec-Fetch-Site: Same-Origin (values are case-sensitive)', headers: { 'sec-fetch-site': 'Same-Origin', host: 'a.example' }, allowed: false },
  { name: 'Sec-Fetch-Site: cross-site with an Origin matching Host', headers: { 'sec-fetch-site': 'cross-site', origin: 'https://a.example', host: 'a.example' }, allowed: false },
  { name: 'an empty Sec-Fetch-Site and no Origin (as if absent)', headers: { 'sec-fetch-site': '', host: 'a.example' }, allowed: true },
  { name: 'an empty Sec-Fetch-Site and another site\'s Origin', headers: { 'sec-fetch-site': '', origin: 'https://evil.example', host: 'a.example' }, allowed: false },
  { name: 'repeated Sec-Fetch-Site, same-origin first', headers: { 'sec-fetch-site': ['same-origin', 'cross-site'], host: 'a.example' }, allowed: false },
  { name: 'Origin equal to Host', headers: { origin: 'https://a.example', host: 'a.example' }, allowed: true },
  { name: 'Origin https://a.example, Host a.example:443 (the default port)', headers: { origin: 'https://a.example', host: 'a.example:443' }, allowed: true },
  { name: 'Origin http://a.example, Host a.example:80 (the default port)', headers: { origin: 'http://a.example', host: 'a.example:80' }, allowed: true },
  { name: 'Origin https://a.example, Host a.example:80 (not https\'s port)', headers: { origin: 'https://a.example', host: 'a.example:80' }, allowed: false },
  { name: 'Origin http://a.example, Host a.example:443 (not http\'s port)', headers: { origin: 'http://a.example', host: 'a.example:443' }, allowed: false },
  { name: 'Origin https://a.example, Host A.Example (host names are case-insensitive)', headers: { origin: 'https://a.example', host: 'A.Example' }, allowed: true },
  { name: 'Origin https://A.EXAMPLE, Host a.example', headers: { origin: 'https://A.EXAMPLE', host: 'a.example' }, allowed: true },
  { name: 'Origin with the default port written, Host without', headers: { origin: 'https://a.example:443', host: 'a.example' }, allowed: true },
  { name: 'Origin and Host on the same other port', headers: { origin: 'https://a.example:8443', host: 'a.example:8443' }, allowed: true },
  { name: 'Origin on another port than Host', headers: { origin: 'http://127.0.0.1:1', host: '127.0.0.1:3000' }, allowed: false },
  { name: 'Origin of another host', headers: { origin: 'https://evil.example', host: 'a.example' }, allowed: false },
  { name: 'Origin of an IPv6 host and port', headers: { origin: 'http://[::1]:3000', host: '[::1]:3000' }, allowed: true },
  { name: 'Origin of an international host, Host in punycode', headers: { origin: 'https://bücher.example', host: 'xn--bcher-kva.example' }, allowed: true },
  { name: 'Origin: null (a sandboxed or file page)', headers: { origin: 'null', host: 'a.example' }, allowed: false },
  { name: 'an empty Origin (as if absent)', headers: { origin: '', host: 'a.example' }, allowed: true },
  { name: 'an Origin that is not a URL', headers: { origin: 'a.example', host: 'a.example' }, allowed: false },
  { name: 'an Origin without a Host header', headers: { origin: 'https://a.example' }, allowed: false },
  { name: 'repeated Origin, the first matching Host', headers: { origin: ['https://a.example', 'https://evil.example'], host: 'a.example' }, allowed: false },
  { name: 'HTTP/2: :authority wins over Host', headers: { origin: 'https://a.example', ':authority': 'a.example', host: 'evil.example' }, allowed: true },
  { name: 'HTTP/2: Host does not stand in for :authority', headers: { origin: 'https://a.example', ':authority': 'evil.example', host: 'a.example' }, allowed: false },
  { name: 'a trusted origin, cross-site', headers: { ...FORGED, origin: 'https://admin.example' }, trusted: ['https://admin.example'], allowed: true },
  { name: 'a trusted origin, same-site', headers: { 'sec-fetch-site': 'same-site', origin: 'https://admin.example' }, trusted: ['https://admin.example'], allowed: true },
  { name: 'a trusted origin without Sec-Fetch-Site', headers: { origin: 'https://admin.example', host: 'a.example' }, trusted: ['https://admin.example'], allowed: true },
  { name: 'a trusted origin written with capitals and the default port', headers: { ...FORGED, origin: 'https://admin.example' }, trusted: ['HTTPS://Admin.Example:443'], allowed: true },
  { name: 'an Origin in capitals is not the trusted origin', headers: { ...FORGED, origin: 'https://ADMIN.example' }, trusted: ['https://admin.example'], allowed: false },
  { name: 'a trusted origin on its own port', headers: { ...FORGED, origin: 'https://admin.example:8443' }, trusted: ['https://admin.example:8443'], allowed: true },
  { name: 'a trusted origin on another port', headers: { ...FORGED, origin: 'https://admin.example:8443' }, trusted: ['https://admin.example'], allowed: false },
  { name: 'a trusted origin of a non-web scheme', headers: { ...FORGED, origin: 'chrome-extension://abcdef' }, trusted: ['chrome-extension://abcdef'], allowed: true },
  { name: 'cross-site without Origin, whatever is trusted', headers: { 'sec-fetch-site': 'cross-site' }, trusted: ['https://admin.example'], allowed: false },
];

interface TrustedCase {
  value: unknown;
  /** The origin as the check compares it, or `undefined` when the value is refused. */
  normalized?: string;
}

const TRUSTED: TrustedCase[] = [
  { value: 'https://admin.example', normalized: 'https://admin.example' },
  { value: 'HTTPS://ADMIN.EXAMPLE', normalized: 'https://admin.example' },
  { value: 'https://admin.example:443', normalized: 'https://admin.example' },
  { value: 'http://admin.example:80', normalized: 'http://admin.example' },
  { value: 'https://admin.example:8443', normalized: 'https://admin.example:8443' },
  { value: 'http://[::1]:3000', normalized: 'http://[::1]:3000' },
  { value: 'https://bücher.example', normalized: 'https://xn--bcher-kva.example' },
  { value: 'chrome-extension://abcdef', normalized: 'chrome-extension://abcdef' },
  { value: 'https://admin.example/' },
  { value: 'https://admin.example/path' },
  { value: 'https://admin.example?x=1' },
  { value: 'https://admin.example#top' },
  { value: 'https://admin.example\\x' },
  { value: 'admin.example' },
  { value: '//admin.example' },
  { value: ' https://admin.example' },
  { value: 'https://user:secret@admin.example' },
  { value: 'https://*.admin.example' },
  { value: 'https://admin.example:99999' },
  { value: 'null' },
  { value: '' },
  { value: 42 },
  { value: null },
];

/** A Nest adapter as far as Nest's check reads one. */
const ADAPTER = {
  getRequestMethod: (req: { method: string }) => req.method,
  getRequestUrl: () => '/transfer',
} as unknown as HttpServer;

function request(method: string, headers: Headers): { method: string; headers: Headers } {
  return { method, headers };
}

function moduleAllows(req: { method: string; headers: Headers }, trusted: readonly string[]): boolean {
  const options = resolveAjaxOptions({ csrf: { trustedOrigins: [...trusted] } });
  try {
    refuseCrossSite(req, options);
    return true;
  } catch (error) {
    if (error instanceof ForbiddenException) return false;
    throw error;
  }
}

function nestAllows(req: { method: string; headers: Headers }, trusted: readonly string[]): boolean {
  return new nestCsrf!.CrossOriginProtection(ADAPTER, { trustedOrigins: [...trusted] }).check(req) === undefined;
}

function moduleNormalizes(value: unknown): string | undefined {
  try {
    return [...resolveAjaxOptions({ csrf: { trustedOrigins: [value as string] } }).csrf!.trustedOrigins][0];
  } catch (error) {
    if (error instanceof AjaxConfigurationError) return undefined;
    throw error;
  }
}

function nestNormalizes(value: unknown): string | undefined {
  try {
    return nestCsrf!.normalizeTrustedOrigin(value as string);
  } catch {
    return undefined;
  }
}

const withNest = nestCsrf ? it : it.skip;
const eachWithNest = nestCsrf ? it.each : it.skip.each;

describe('the cross-site check', () => {
  describe.each(REQUESTS)('$name', ({ method = 'POST', headers, trusted = [], allowed }) => {
    it(allowed ? 'passes' : 'is refused', () => {
      expect(moduleAllows(request(method, headers), trusted)).toBe(allowed);
    });

    withNest('as with Nest\'s app.enableCsrfProtection()', () => {
      expect(moduleAllows(request(method, headers), trusted)).toBe(nestAllows(request(method, headers), trusted));
    });
  });

  withNest('agrees with Nest\'s on any mix of tricky headers and trusted origins (fast-check)', () => {
    const pick = <T>(...values: T[]) => fc.option(fc.oneof(fc.constantFrom(...values), fc.string()), { nil: undefined });
    const headersArb = fc.record(
      {
        'sec-fetch-site': pick<string | string[]>('', 'same-origin', 'none', 'same-site', 'cross-site', 'Same-Origin', ['same-origin', 'cross-site']),
        origin: pick<string | string[]>(
          '', 'null', 'https://a.example', 'http://a.example', 'https://A.EXAMPLE', 'https://a.example:443', 'https://a.example:8443',
          'http://a.example:80', 'https://admin.example', 'https://a.example/path', 'a.example', 'http://[::1]:8443', 'https://bücher.example',
          'chrome-extension://abcdef', ['https://a.example', 'https://evil.example'],
        ),
        host: pick('', 'a.example', 'A.example', 'a.example:443', 'a.example:80', 'a.example:8443', 'evil.example', '[::1]:8443', 'xn--bcher-kva.example'),
        ':authority': pick('a.example', 'evil.example', 'a.example:443'),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        fc.constantFrom('POST', 'PUT', 'PATCH', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'post', 'Get'),
        headersArb,
        fc.subarray(['https://admin.example', 'HTTPS://A.Example:443', 'https://a.example:8443', 'chrome-extension://abcdef', 'http://[::1]:8443']),
        (method, rawHeaders, trusted) => {
          const headers = Object.fromEntries(Object.entries(rawHeaders).filter(([, value]) => value !== undefined)) as Headers;
          expect(moduleAllows(request(method, headers), trusted)).toBe(nestAllows(request(method, headers), trusted));
        },
      ),
      { numRuns: 2000 },
    );
  });

  describe('csrf.trustedOrigins', () => {
    it.each(TRUSTED)('$value is read as $normalized', ({ value, normalized }) => {
      expect(moduleNormalizes(value)).toBe(normalized);
    });

    eachWithNest(TRUSTED)('$value is read as Nest reads it', ({ value }) => {
      expect(moduleNormalizes(value)).toBe(nestNormalizes(value));
    });

    it('a bad one fails the start-up with the option, the value and what it takes', () => {
      expect(() => resolveAjaxOptions({ csrf: { trustedOrigins: ['https://admin.example', 'https://admin.example/'] } })).toThrow(
        new AjaxConfigurationError(
          'AjaxModule option "csrf.trustedOrigins" must hold origins, scheme://host[:port] such as \'https://admin.example.com\'; ' +
            'got "https://admin.example/", which is not scheme://host[:port] alone (no path, not even a trailing "/", no query string or fragment).',
        ),
      );
      expect(() => resolveAjaxOptions({ csrf: { trustedOrigins: ['https://*.admin.example'] } })).toThrow(
        /"csrf\.trustedOrigins" .*; got "https:\/\/\*\.admin\.example", which has a wildcard/,
      );
    });
  });
});
