import type { AjaxRequest } from '../ajax-request.interface.js';
import { isThenable } from '../maybe-promise.js';
import type { ResolvedAjaxOptions } from '../options/resolve-ajax-options.js';

/**
 * Whether the request's visitor is signed in, by the `isAuthenticated`
 * option, failing closed: only a real `true` is a yes. A thenable of any
 * kind (a native Promise, Bluebird, a Mongoose query) is awaited first, since
 * a pending promise is itself a truthy object; `1`, `'yes'`, an object or a
 * promise of one is a no. A throw or a rejection is left to propagate, so the
 * request fails as a server error, never as signed in.
 *
 * Synchronous when the check is: most are, and a promise per request is not free.
 * @internal
 */
export function isSignedIn(options: Pick<ResolvedAjaxOptions, 'isAuthenticated'>, request: AjaxRequest): boolean | Promise<boolean> {
  const answer: unknown = options.isAuthenticated(request);
  if (answer === true) return true;
  if (isThenable(answer)) return Promise.resolve(answer).then((settled) => settled === true);
  return false;
}
