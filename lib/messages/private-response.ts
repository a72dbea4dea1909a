import type { HttpPlatform } from '../platform/http-platform.interface.js';

/** The headers CDNs obey over `Cache-Control`: Surrogate-Control, and RFC 9213's targeted fields with their vendor forms. */
const CDN_CACHE_HEADERS: ReadonlySet<string> = new Set([
  'surrogate-control',
  'cdn-cache-control',
  'cloudflare-cdn-cache-control',
  'vercel-cdn-cache-control',
  'akamai-cache-control',
]);

/**
 * Marks a response that carries a visitor's messages as theirs alone, and
 * for once: `Cache-Control: private, no-store`, in place of the app's own
 * `Cache-Control`, and without the headers CDNs obey over it. A shared cache
 * must not hand one visitor's messages to another, and no cache may show
 * them a second time. Responses without messages keep the app's headers
 * untouched.
 * @internal
 */
export function makePrivate(platform: HttpPlatform, res: object): void {
  platform.setHeader(res, 'Cache-Control', 'private, no-store');
  // The names set, read once, rather than a getHeader() per CDN header, each of which lower-cases its name and
  // looks the new string up: makePrivate() ran 4,900 instructions on Express and 4,300 on Fastify that way, 3,400
  // and 3,000 this way (Node 24).
  for (const name of platform.headerNames(res)) {
    if (CDN_CACHE_HEADERS.has(name)) platform.removeHeader(res, name);
  }
}
