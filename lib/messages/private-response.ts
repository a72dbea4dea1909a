/** The response calls `makePrivate()` makes. @internal */
export interface PrivateResponse {
  setHeader(name: string, value: string): unknown;
  removeHeader(name: string): unknown;
  getHeaderNames(): string[];
}

/**
 * Marks a response that carries a visitor's messages as theirs alone, and
 * for once: `Cache-Control: private, no-store`, in place of the app's own
 * `Cache-Control`, and without the headers CDNs obey over it
 * (`Surrogate-Control`, `CDN-Cache-Control` and its vendor forms such as
 * `Cloudflare-CDN-Cache-Control`, RFC 9213). A shared cache must not hand one
 * visitor's messages to another, and no cache may show them a second time.
 * Responses without messages keep the app's headers untouched.
 * @internal
 */
export function makePrivate(res: PrivateResponse): void {
  res.setHeader('Cache-Control', 'private, no-store');
  for (const name of res.getHeaderNames()) {
    if (name === 'surrogate-control' || name.endsWith('cdn-cache-control')) res.removeHeader(name);
  }
}
