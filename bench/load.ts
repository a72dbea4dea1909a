import autocannon from 'autocannon';
import { assertLoopback, visitorHeaders } from './client.js';
import type { Running } from './processes.js';

/** What one round of load on one variant measured. */
export interface Round {
  rps: number;
  p50: number;
  p99: number;
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
 * `duration` seconds of autocannon on the variant's route, with its
 * visitor's cookie, `connections` at a time. Throws on any error, timeout or
 * status other than the expected kind, and on a run that overran its time.
 * `checkBodies` also compares every body with the expected one (the quick
 * check's; it slows the load generator, so a measured run leaves it out).
 */
export async function load(running: Running, duration: number, connections: number, checkBodies = false): Promise<Round & { total: number }> {
  const url = `${running.url}/json`;
  assertLoopback(url);
  const options = {
    url,
    connections,
    duration,
    maxOverallRequests: duration * MAX_REQUESTS_PER_SECOND,
    headers: visitorHeaders(running),
    ...(checkBodies ? { expectBody: JSON.stringify(running.variant.expectedBody) } : {}),
  };
  let overran = false;
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
  if (overran) throw new Error(`${running.variant.name}: the load run did not end within ${OVERRUN_MS / 1000} s of its ${duration} s`);
  const expected2xx = running.variant.expectedStatus < 300;
  const wrong = expected2xx ? result.non2xx : result['2xx'];
  if (result.errors > 0 || result.timeouts > 0 || wrong > 0 || result.mismatches > 0) {
    throw new Error(
      `${running.variant.name}: ${result.errors} errors, ${result.timeouts} timeouts, ${wrong} unexpected statuses, ${result.mismatches} unexpected bodies`,
    );
  }
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, total: result.requests.total };
}
