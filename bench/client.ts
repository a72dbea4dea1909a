import type { Running } from './processes.js';

/** No single request of the benchmark's own (sign-in, checks, heap) may hang a run. */
const REQUEST_TIMEOUT_MS = 10_000;

/** The only host the benchmark sends requests to. */
const LOOPBACK = '127.0.0.1';

/** The URL of a variant listening on loopback. */
export function loopbackUrl(port: number): string {
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`not a port: ${port}`);
  return `http://${LOOPBACK}:${port}`;
}

/** Throws unless `url` is on loopback: the benchmark loads nothing else. */
export function assertLoopback(url: string): void {
  if (new URL(url).hostname !== LOOPBACK) throw new Error(`the benchmark only loads ${LOOPBACK}, not ${url}`);
}

function get(url: string, init: RequestInit = {}): Promise<Response> {
  assertLoopback(url);
  return fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
}

/** Signs the visitor in where the variant needs it, and keeps its session cookie. */
export async function signIn(running: Running): Promise<void> {
  if (!running.variant.signedIn) return;
  const res = await get(`${running.url}/login`, { method: 'POST' });
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  if (!res.ok || !cookie) throw new Error(`${running.variant.name}: could not sign in (HTTP ${res.status})`);
  running.cookie = cookie;
}

/** The request headers of the variant's visitor. */
export const visitorHeaders = (running: Running): Record<string, string> => (running.cookie ? { cookie: running.cookie } : {});

/** One request, checked against what the variant must answer: status and body, exactly. */
export async function check(running: Running): Promise<void> {
  const { variant } = running;
  const res = await get(`${running.url}/json`, { headers: visitorHeaders(running) });
  const body: unknown = await res.json();
  if (res.status !== variant.expectedStatus || JSON.stringify(body) !== JSON.stringify(variant.expectedBody)) {
    throw new Error(`${variant.name}: expected ${variant.expectedStatus} ${JSON.stringify(variant.expectedBody)}, got ${res.status} ${JSON.stringify(body)}`);
  }
}

/** The variant's heap in use after a full GC. */
export async function heap(running: Running): Promise<number> {
  const res = await get(`${running.url}/__heap`);
  return ((await res.json()) as { heapUsed: number }).heapUsed;
}
