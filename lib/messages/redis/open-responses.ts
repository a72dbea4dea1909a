import type { AjaxRequest } from '../../ajax-request.interface.js';
import type { ClosingResponse } from '../../platform/raw-response-closed.js';

/** One request whose takes' claims wait for its response, and when it was watched or last handed over to be settled. */
interface Watched {
  readonly res: ClosingResponse;
  settledAt: number;
}

/** The longest period a Node timer keeps: it runs a longer one every millisecond. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/**
 * How often the claims of responses still open are settled or renewed: a
 * third of `reclaimAfterMs`, so that a claim is seen to at most half of it
 * after its take and then every third, well before it is stale.
 * @internal
 */
export function settlingPeriodMs(reclaimAfterMs: number): number {
  return Math.min(Math.max(1, Math.floor(reclaimAfterMs / 3)), LONGEST_TIMER_MS);
}

/**
 * The requests of which takes claimed messages, while their responses are
 * still open: a timer runs every `periodMs` while there are some, and hands
 * to `settle()` each one watched (or last handed over) half a period ago or
 * more, so that none waits longer than one and a half periods, and its
 * claims can be settled or renewed before other requests take them for
 * left behind. A response of an event stream (`@Sse()`) stays open
 * for as long as its page does; a slow one, for as long as its handler
 * works. One that has closed is forgotten; its close settles its claims.
 * @internal
 */
export class OpenResponses {
  private readonly watched = new Map<AjaxRequest, Watched>();
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly periodMs: number,
    private readonly settle: (req: AjaxRequest, res: ClosingResponse) => void,
  ) {}

  /** Watches `req`, whose take claimed messages now, answered by `res`; a request watched already keeps its place. */
  watch(req: AjaxRequest, res: ClosingResponse): void {
    if (this.watched.has(req) || res.closed) return;
    this.watched.set(req, { res, settledAt: performance.now() });
    if (!this.timer) {
      this.timer = setInterval(() => this.check(), this.periodMs);
      // A process with nothing else to do must be free to exit.
      this.timer.unref();
    }
  }

  /** Forgets `req`: its response has closed, and its claims were settled then. */
  forget(req: AjaxRequest): void {
    this.watched.delete(req);
  }

  private check(): void {
    // A clock that only goes forward: the wall clock set back would put renewals off while Redis's own time ages the claims.
    const now = performance.now();
    for (const [req, watched] of this.watched) {
      if (watched.res.closed) this.watched.delete(req);
      // Half a period, not a whole one: a timer's tick that comes a little early must not put a response off by a period.
      else if (now - watched.settledAt >= this.periodMs / 2) {
        watched.settledAt = now;
        this.settle(req, watched.res);
      }
    }
    if (this.watched.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}
