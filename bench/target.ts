import type { Running } from './processes.js';

/** A correct answer: its status, its body exactly, and the value of every header named. */
export interface Expected {
  status: number;
  body: unknown;
  headers?: Readonly<Record<string, string>>;
}

/** The methods the benchmark's requests use. */
export type Method = 'GET' | 'POST' | 'DELETE';

/** One kind of request the benchmark sends again and again, and the answer each must get. */
export interface Target {
  /** What error messages call it. */
  name: string;
  /** The server's origin, on loopback. */
  origin: string;
  method: Method;
  path: string;
  /** Session cookies, one request to each in turn; empty for an anonymous visitor. */
  cookies: readonly string[];
  expected: Expected;
  /** The serving process, whose CPU time per request the load measures. */
  pid?: number;
}

/** A variant's only request: `GET /json` as its visitors in turn, answered as the variant says. */
export function variantTarget({ variant, url, cookies, child }: Running): Target {
  return {
    name: variant.name,
    origin: url,
    method: 'GET',
    path: '/json',
    cookies: cookies ?? [],
    expected: { status: variant.expectedStatus, body: variant.expectedBody, headers: {} },
    pid: child.pid,
  };
}

/**
 * What is wrong with an answer, or undefined when it is the expected one.
 * `header` reads a response header by its lower-case name.
 */
export function answerProblem(expected: Expected, status: number, body: string, header: (name: string) => string | undefined): string | undefined {
  const wrongHeader = Object.entries(expected.headers ?? {}).find(([name, value]) => header(name.toLowerCase()) !== value);
  if (status === expected.status && body === JSON.stringify(expected.body) && !wrongHeader) return undefined;
  const wanted = `${expected.status} ${JSON.stringify(expected.body)}${wrongHeader ? ` with ${wrongHeader[0]}: ${wrongHeader[1]}` : ''}`;
  const got = `${status} ${body}${wrongHeader ? ` with ${wrongHeader[0]}: ${header(wrongHeader[0].toLowerCase()) ?? '(none)'}` : ''}`;
  return `expected ${wanted}, got ${got}`;
}
