import type { AbstractHttpAdapter } from '@nestjs/core';
import type { AjaxRequest } from '../ajax-request.interface.js';
import { currentRequest, runInRequest } from '../context/request-context.js';

/** The request hook of Nest's HTTP adapters (`setOnRequestHook()`), on Express and on Fastify alike. */
type RequestHook = (this: unknown, req: AjaxRequest, res: unknown, done: (error?: unknown) => void) => unknown;

interface HookedAdapter {
  onRequestHook?: RequestHook;
  setOnRequestHook(hook: RequestHook | undefined): void;
}

/**
 * Whether the app follows its requests (each one entered as its own
 * handling, for `MessagesService`): asked for every request, answered once.
 * @internal
 */
export type FollowsRequests = () => boolean;

/**
 * The app's answer to `FollowsRequests`, decided at its first request: by
 * then every module has declared its middleware (the module's own set-up
 * runs before the other modules'), so `decide` sees all that asks for
 * `MessagesService`. `onDecided` hears the answer, once.
 * @internal
 */
export function decidedAtFirstRequest(decide: () => boolean, onDecided?: (follows: boolean) => void): FollowsRequests {
  let decided: boolean | undefined = undefined;
  return () => {
    if (decided === undefined) {
      decided = decide();
      onDecided?.(decided);
    }
    return decided;
  };
}

/**
 * Makes every request of the app run as its own handling (`currentRequest()`,
 * which `MessagesService` reads), from its very start, when the app
 * `follows` its requests: through the request hook Nest's adapters run
 * before anything else (before Nest middleware, body parsing and session
 * plugins alike), so that a filter answering a malformed body or a Nest
 * middleware can add messages too. In an app that does not, once its first
 * request has told, the hook is the app's own again (or none), and Nest's
 * adapter runs nothing of the module's for each request.
 *
 * The adapter has one such hook, which is the app's to set as well: the app's
 * own, set with `setOnRequestHook()` before or after this, still runs,
 * inside the module's (a hook written straight into the adapter's private
 * `onRequestHook` replaces the module's). That method is wrapped on the adapter itself, and the
 * hook stays a plain property: an accessor defined on the adapter would turn
 * it into a dictionary, which each property read of Nest's own request hooks
 * then looks up (about 1,100 instructions per request on Fastify).
 * @internal
 */
export function enterEachRequest(adapter: AbstractHttpAdapter, follows: FollowsRequests): void {
  const hooked = adapter as unknown as HookedAdapter;
  const setHook = hooked.setOnRequestHook;
  // What the first request found; unknown until then, as the answer must wait for every module's set-up.
  let following: boolean | undefined = undefined;
  let own = hooked.onRequestHook;
  const decideOnce = (): boolean => {
    if (following === undefined) {
      following = follows();
      if (!following) setHook.call(hooked, own);
    }
    return following;
  };
  // Each hook the app sets is wrapped on its own: one that chains the hook it read back calls a wrapped one, never itself.
  const setAppHook = (hook: RequestHook | undefined): void => {
    own = hook;
    setHook.call(hooked, following === false ? hook : entering(hook, decideOnce));
  };
  hooked.setOnRequestHook = setAppHook;
  setAppHook(own);
}

/** The request hook that enters the request (if the app follows them), then runs the app's own (if any) inside it. */
function entering(own: RequestHook | undefined, follows: FollowsRequests): RequestHook {
  return function enterAjaxRequest(this: unknown, req, res, done) {
    const next = own ? () => own.call(this, req, res, done) : done;
    return follows() ? runInRequest(req, next) : next();
  };
}

/**
 * Enters the request again where something before it lost Node's async
 * context: a session store answering from its socket (connect-redis), an
 * app hook that goes on from a timer or an event of its own. Called once
 * the session and the body are there, just before guards and handlers, in
 * an app that follows its requests.
 * @internal
 */
export function reenterRequest(req: AjaxRequest, next: () => void): void {
  if (currentRequest() === req) next();
  else runInRequest(req, next);
}
