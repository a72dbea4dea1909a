import type { Running } from './processes.js';
import { answerProblem, type Target, variantTarget } from './target.js';

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

/** Signs a new visitor in on the server at `origin`: the cookie of their fresh session. */
async function newSession(origin: string, name: string): Promise<string> {
  const res = await get(`${origin}/login`, { method: 'POST' });
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  if (!res.ok || !cookie) throw new Error(`${name}: could not sign in (HTTP ${res.status})`);
  return cookie;
}

/** Signs the variant's visitors in where it needs them (one, or `visitors`), and keeps their session cookies. */
export async function signIn(running: Running): Promise<void> {
  if (!running.variant.signedIn) return;
  running.cookies = await signInVisitors(running.url, running.variant.visitors ?? 1, running.variant.name);
}

/** Sign-ins at a time: enough to be quick, few enough not to flood a server that is starting to warm up. */
const SIGN_INS_AT_ONCE = 10;

/** `count` visitors signed in on the server at `origin`, each in a session of their own: their cookies. */
export async function signInVisitors(origin: string, count: number, name: string): Promise<string[]> {
  const cookies: string[] = [];
  while (cookies.length < count) {
    const batch = Math.min(SIGN_INS_AT_ONCE, count - cookies.length);
    cookies.push(...(await Promise.all(Array.from({ length: batch }, () => newSession(origin, name)))));
  }
  if (new Set(cookies).size !== count) throw new Error(`${name}: ${count} sign-ins gave only ${new Set(cookies).size} distinct sessions`);
  return cookies;
}

/** One request of the target, as its first visitor, checked against the answer it must get: status, body and headers, exactly. */
export async function checkTarget(target: Target): Promise<void> {
  const res = await get(`${target.origin}${target.path}`, { method: target.method, headers: target.cookies.length ? { cookie: target.cookies[0] } : {} });
  const problem = answerProblem(target.expected, res.status, await res.text(), (name) => res.headers.get(name) ?? undefined);
  if (problem) throw new Error(`${target.name}: ${problem}`);
}

/** One request, checked against what the variant must answer: status and body, exactly. */
export const check = (running: Running): Promise<void> => checkTarget(variantTarget(running));

/**
 * The same check after a load, as a visitor signed in after it: the load's
 * end cuts the requests in flight, and `RedisMessageStorage` rightly puts
 * back the message of a request cut before its answer started, which that
 * visitor's next answer then carries with its own.
 */
export async function checkAfterLoad(running: Running): Promise<void> {
  const target = variantTarget(running);
  const cookies = running.variant.signedIn ? await signInVisitors(running.url, 1, running.variant.name) : [];
  await checkTarget({ ...target, cookies });
}

/** The variant's heap in use after a full GC. */
export async function heap(running: Running): Promise<number> {
  const res = await get(`${running.url}/__heap`);
  return ((await res.json()) as { heapUsed: number }).heapUsed;
}
