import autocannon from 'autocannon';
import { assertLoopback } from './client.js';
import { cpuMicrosOf } from './cpu-time.js';
import type { Running } from './processes.js';
import { answerProblem, type Target, variantTarget } from './target.js';

/** What one load run on one variant measured (a round of the benchmark holds many). */
export interface Round {
  rps: number;
  p50: number;
  p99: number;
  /** The server process's CPU time (user + system) per request served, in µs; undefined where the platform does not tell. */
  cpuUs?: number;
}

/**
 * A ceiling on the requests of one load run, per second of it: far above
 * what any variant serves here (the raw node:http ceiling is about 60,000/s),
 * so it never shapes a figure, and yet a run has a bound in count as well
 * as in time.
 */
const MAX_REQUESTS_PER_SECOND = 200_000;
/** How long past its duration a load run may take (requests in flight finish, or time out after 10 s) before it is stopped. */
const OVERRUN_MS = 30_000;

/**
 * The request autocannon sends: the target's cookies taken in turn, one per
 * request whichever connection sends it, so that the requests in flight at
 * any time belong to different visitors; and, when the answers are checked,
 * a look at every one of them.
 */
function requestOf(target: Target, onProblem: ((problem: string) => void) | undefined): autocannon.Request {
  const { cookies } = target;
  let turn = 0;
  const rotate = (request: autocannon.Request): autocannon.Request => ({ ...request, headers: { ...request.headers, cookie: cookies[turn++ % cookies.length] } });
  return {
    method: target.method,
    path: target.path,
    // One cookie: built into the request once, as a rotation rebuilds the request every time.
    headers: cookies.length === 1 ? { cookie: cookies[0] } : {},
    ...(cookies.length > 1 ? { setupRequest: rotate } : {}),
    ...(onProblem
      ? {
          onResponse: (status: number, body: string, _context: object, headers: autocannon.Request['headers']) => {
            const lower = new Map(Object.entries(headers ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)]));
            const problem = answerProblem(target.expected, status, body, (name) => lower.get(name));
            if (problem) onProblem(problem);
          },
        }
      : {}),
  };
}

/**
 * `duration` seconds of autocannon on the target, at most `maxRequests`
 * requests, `connections` at a time. Throws on any error, timeout or status
 * other than the expected kind, and on a run that overran its time.
 * `checkAnswers` also compares every status, body and expected header with
 * the expected ones (the quick check's; it slows the load generator, so a
 * measured run leaves it out).
 */
export async function loadTarget(
  target: Target,
  duration: number,
  connections: number,
  checkAnswers = false,
  maxRequests = duration * MAX_REQUESTS_PER_SECOND,
): Promise<Round & { total: number }> {
  assertLoopback(target.origin);
  let wrongAnswers = 0;
  let firstProblem: string | undefined = undefined;
  const onProblem = (problem: string) => {
    wrongAnswers++;
    firstProblem ??= problem;
  };
  const options = {
    url: target.origin,
    connections: Math.min(connections, maxRequests),
    duration,
    maxOverallRequests: Math.min(maxRequests, duration * MAX_REQUESTS_PER_SECOND),
    requests: [requestOf(target, checkAnswers ? onProblem : undefined)],
  };
  let overran = false;
  const cpuBefore = cpuMicrosOf(target.pid);
  const result = await new Promise<autocannon.Result>((resolveRun, reject) => {
    let watchdog: NodeJS.Timeout | undefined = undefined;
    // The callback form, as it gives the instance, which the watchdog stops.
    const instance = autocannon(options, (error, finished) => {
      clearTimeout(watchdog);
      if (error) reject(error as Error);
      else resolveRun(finished);
    });
    watchdog = setTimeout(() => {
      overran = true;
      instance.stop();
    }, duration * 1000 + OVERRUN_MS);
  });
  if (overran) throw new Error(`${target.name}: the load run did not end within ${OVERRUN_MS / 1000} s of its ${duration} s`);
  const expected2xx = target.expected.status < 300;
  const wrong = expected2xx ? result.non2xx : result['2xx'];
  if (result.errors > 0 || result.timeouts > 0 || wrong > 0 || wrongAnswers > 0) {
    throw new Error(
      `${target.name}: ${result.errors} errors, ${result.timeouts} timeouts, ${wrong} unexpected statuses, ${wrongAnswers} unexpected answers${firstProblem ? ` (first: ${firstProblem})` : ''}`,
    );
  }
  const cpuAfter = cpuMicrosOf(target.pid);
  const cpuUs = cpuBefore !== undefined && cpuAfter !== undefined && result.requests.total > 0 ? (cpuAfter - cpuBefore) / result.requests.total : undefined;
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, cpuUs, total: result.requests.total };
}

/** `loadTarget()` on a variant's route, with its visitor's cookie; `checkBodies` checks every answer. */
export const load = (running: Running, duration: number, connections: number, checkBodies = false): Promise<Round & { total: number }> =>
  loadTarget(variantTarget(running), duration, connections, checkBodies);
