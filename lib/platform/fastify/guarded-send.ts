import type { AjaxRequest } from '../../ajax-request.interface.js';
import type { ResolvedAjaxOptions } from '../../options/resolve-ajax-options.js';
import type { HttpPlatform } from '../http-platform.interface.js';
import type { FastifyReplyLike } from './fastify-reply.js';

type Send = FastifyReplyLike['send'];

/** What the module has asked of one reply. @internal */
export interface SendState {
  /**
   * Called for the first answer in place of Fastify's `send`, with this
   * state as `this`, to add the pending messages; then dropped. One function
   * for every reply, reading what it needs from the state (`platform`,
   * `request`, `options`), rather than a closure made for each reply: with
   * that closure V8 chose to allocate objects of these apps straight into
   * its old generation, which made each young collection about three times
   * as long (bench/RESULTS.md, `npm run bench:gc`).
   */
  deliver: ((this: SendState, payload: unknown, send: Send) => unknown) | undefined;
  /** What `deliver` answers with: set with it. */
  platform: HttpPlatform | undefined;
  request: AjaxRequest | undefined;
  options: ResolvedAjaxOptions | undefined;
  /** The reply this state guards. */
  readonly reply: FastifyReplyLike;
  /**
   * The exception filter answers this reply, possibly later: what Nest and
   * Fastify send on their own meanwhile (the reply itself, nothing) is no answer.
   */
  held: boolean;
  /** An answer has gone to Fastify: the first one stands. */
  started: boolean;
  /** Fastify's own `send`. */
  readonly send: Send;
}

type GuardedSend = Send & { [STATE]?: SendState };

const STATE = Symbol('nestjs-ajax:send-state');

/**
 * Puts the module between the reply and Fastify's `send`, once per reply,
 * and gives what the module asks of it.
 *
 * Why the first answer must stand: Fastify reports a reply as not sent while
 * its asynchronous `onSend` hooks run (a session store saving), and Nest's
 * router returns the reply from a handler that threw, which Fastify then
 * sends again; so does Fastify, with an empty body, when a route's promise
 * settles before the module's own asynchronous answer (messages read from
 * Redis, an asynchronous `errorBody`). A second answer to one reply makes
 * Fastify write twice.
 *
 * What is always let through: an answer Fastify gives from inside the first
 * one (its error handler's, for a body it failed to serialise), an `Error`
 * (Fastify's last-resort answer), and anything after `reopen()`. A first
 * answer that throws is no answer, and leaves the reply open.
 * @internal
 */
export function guardSend(reply: FastifyReplyLike): SendState {
  const current = reply.send as GuardedSend;
  const known = current[STATE];
  if (known) return known;
  // Every field from the start, so that every reply's state has one shape.
  const state: SendState = { deliver: undefined, platform: undefined, request: undefined, options: undefined, reply, held: false, started: false, send: current };
  let sending = false;
  const guarded: GuardedSend = function sendOnce(payload?: unknown): unknown {
    if (sending || payload instanceof Error) return current.call(reply, payload);
    if (state.started || (state.held && (payload === reply || payload === undefined))) return reply;
    state.started = true;
    sending = true;
    // Once, as Express's hook: an error body that follows a failed first answer goes out as it is.
    const deliver = state.deliver;
    state.deliver = undefined;
    try {
      return deliver ? deliver.call(state, payload, current) : current.call(reply, payload);
    } catch (error) {
      state.started = false;
      throw error;
    } finally {
      sending = false;
    }
  };
  guarded[STATE] = state;
  reply.send = guarded;
  return state;
}

/**
 * Opens the reply again for an error Fastify is answering (an `onSend` hook
 * that failed after the first answer, a session store that is down): the
 * error's answer must go out, or the request would never be answered.
 * @internal
 */
export function reopen(reply: FastifyReplyLike): void {
  const state = (reply.send as GuardedSend)[STATE];
  if (!state) return;
  state.started = false;
  state.held = false;
  state.deliver = undefined;
}

/**
 * The module's own answer, past the guard: Fastify's `send`, once.
 * @internal
 */
export function sendAsModule(reply: FastifyReplyLike, payload: unknown): unknown {
  const state = guardSend(reply);
  state.started = true;
  return state.send.call(reply, payload);
}
