// npm commands of the consumer matrix that fetch from the registry. A registry
// request that stalls holds npm for its default fetch-timeout of five minutes,
// which is as long as the matrix gave the whole install, so one stalled
// socket failed a run whose package was fine. Here a request gives up after a
// minute, and an install that timed out or failed on the network is run once
// more; a failure of the package itself (ERESOLVE, a peer, a build) is not.
import { run } from './process-group.mjs';

/** How long one registry request may stall before npm gives up on it (npm's default is 300,000 ms). */
const FETCH_TIMEOUT_MS = 60_000;

/** What npm prints when the network, not the package, failed it. */
const NETWORK_FAILURE = /\b(ECONNRESET|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|ENOTFOUND|ENETUNREACH|EIDLETIMEOUT|ERESPONSETIMEOUT|ETRANSFERTIMEOUT|ECONNECTIONTIMEOUT|request-timeout|socket hang up)\b/;

/** True when a finished `run()` failed for a reason a second attempt can cure: a time-out or the network. */
export function failedOnTheNetwork(result) {
  return result.code !== 0 && (result.timedOut || NETWORK_FAILURE.test(result.output));
}

/**
 * Runs `npm <args>` (at most `timeout` ms per attempt) with a one-minute
 * limit on each registry request, and once more when the first attempt
 * timed out or failed on the network. The result is `run()`'s, with
 * `retried` set to the first attempt's reason when there was a second.
 */
export async function npmWithRetry(args, { cwd, env, timeout }) {
  const npmArgs = [...args, `--fetch-timeout=${FETCH_TIMEOUT_MS}`];
  const first = await run('npm', npmArgs, { cwd, env, timeout });
  if (!failedOnTheNetwork(first)) return first;
  const reason = first.timedOut ? `timed out after ${timeout / 1000} s` : (first.output.match(NETWORK_FAILURE)?.[0] ?? 'network');
  const second = await run('npm', npmArgs, { cwd, env, timeout });
  return { ...second, retried: reason, output: `(first attempt ${reason}; this is the second)\n${second.output}` };
}
