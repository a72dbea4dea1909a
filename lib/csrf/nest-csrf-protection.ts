import { ForbiddenException } from '@nestjs/common';

/** Where the request hook of Nest's security features may write headers; the probes' go nowhere. */
interface HeaderTarget {
  setHeader(name: string, value: string): unknown;
  removeHeader(name: string): unknown;
}

/** The one request hook behind Nest 12.1's `app.enableCsrfProtection()` and `app.useSecurityHeaders()`. */
type SecurityHook = (request: object, response: HeaderTarget) => Error | undefined;

/** An HTTP adapter; from Nest 12.1 on it takes that hook (`HttpServer.registerSecurityHook`). */
interface SecurityHookHost {
  registerSecurityHook?(hook: SecurityHook): unknown;
}

/** What is known of one app's hook. */
interface Watch {
  hook?: SecurityHook;
  /**
   * Decided once, at start-up: whether the hook was seen refusing a forged
   * request and passing its same-origin twin. `undefined` until then.
   */
  csrfConfirmed?: boolean;
}

const watches = new WeakMap<object, Watch>();
/** The requests that Nest's confirmed cross-site check let through. */
const passedNestCheck = new WeakSet<object>();

/**
 * A path that Nest applies no `exclude` route to: it never excludes a path
 * with `;` (its documented rule for paths a router might resolve otherwise).
 */
const PROBE_PATH = '/;nestjs-ajax-csrf-probe';
const NO_HEADERS: HeaderTarget = { setHeader: () => undefined, removeHeader: () => undefined };

/**
 * Watches the adapter for the request hook Nest installs when the app calls
 * `app.enableCsrfProtection()` (or `useSecurityHeaders()`), so that the
 * module can learn, at start-up, whether Nest checks cross-site requests.
 * Nest has no public answer to that question; the adapter's
 * `registerSecurityHook()` is the one public place the hook passes through.
 * Called as soon as the app has its adapter (`HttpAdapterHost.init$`), which
 * is before the app's own code can enable anything. An adapter without the
 * method (Nest 11 and 12.0) is left alone: the module checks every request.
 * @internal
 */
export function watchNestSecurityHook(adapter: object | undefined): void {
  const host = adapter as SecurityHookHost | undefined;
  if (!host || watches.has(host) || typeof host.registerSecurityHook !== 'function') return;
  const watch: Watch = {};
  watches.set(host, watch);
  const register = host.registerSecurityHook;
  host.registerSecurityHook = function registerWatchedSecurityHook(this: SecurityHookHost, hook: SecurityHook): unknown {
    watch.hook = hook;
    return register.call(this, (request, response) => {
      const error = hook(request, response);
      if (error === undefined && watch.csrfConfirmed === true) passedNestCheck.add(request);
      return error;
    });
  };
}

/**
 * Decides, once the app can no longer enable anything (at its start-up,
 * from `AjaxModule.configure()`), whether Nest checks cross-site requests:
 * only when its hook refuses a forged POST with a `ForbiddenException` and
 * passes the same POST from the site itself. Anything else (no hook, an
 * `exclude` function that excludes the probe or throws on it) leaves the
 * module checking every request itself.
 * @internal
 */
export function confirmNestCsrfProtection(adapter: object | undefined): void {
  const watch = adapter ? watches.get(adapter) : undefined;
  // Every AjaxModule import of the app sets it up; the app's own exclude function is called once.
  if (!watch?.hook || watch.csrfConfirmed !== undefined) return;
  watch.csrfConfirmed = probe(watch.hook, 'cross-site') === 'refused' && probe(watch.hook, 'same-origin') === 'passed';
}

/**
 * Whether Nest's own cross-site check, confirmed at start-up, let this very
 * request through: then it is not the module's to decide again.
 * @internal
 */
export function passedNestCsrfCheck(request: object): boolean {
  return passedNestCheck.has(request);
}

function probe(hook: SecurityHook, secFetchSite: string): 'refused' | 'passed' | 'unknown' {
  const request = {
    method: 'POST',
    url: PROBE_PATH,
    originalUrl: PROBE_PATH,
    headers: { host: 'nestjs-ajax.invalid', origin: 'https://forged.invalid', 'sec-fetch-site': secFetchSite },
  };
  try {
    const error = hook(request, NO_HEADERS);
    if (error === undefined) return 'passed';
    return error instanceof ForbiddenException ? 'refused' : 'unknown';
  } catch {
    return 'unknown';
  }
}
