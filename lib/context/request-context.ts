import { AsyncLocalStorage } from 'node:async_hooks';
import type { AjaxRequest } from '../ajax-request.interface.js';

/**
 * The one store of the process, shared by both builds of the package (a
 * process that loads the CommonJS and the ES module build must still find,
 * from one build's `MessagesService`, the request the other build entered).
 */
const STORE = Symbol.for('nestjs-ajax:request-context');

const registry = globalThis as { [STORE]?: AsyncLocalStorage<AjaxRequest> };
const requests = (registry[STORE] ??= new AsyncLocalStorage<AjaxRequest>());

/**
 * Runs `next` (and everything it starts: awaits, timers, callbacks) as the
 * handling of `req`, so that `currentRequest()` finds it. The platform calls
 * it once per request, before guards and handlers run.
 * @internal
 */
export function runInRequest<T>(req: AjaxRequest, next: () => T): T {
  return requests.run(req, next);
}

/**
 * The request being handled where this is called, or `undefined` outside any
 * (at start-up, in a scheduled job, or in a callback that lost its context).
 * @internal
 */
export function currentRequest(): AjaxRequest | undefined {
  return requests.getStore();
}
