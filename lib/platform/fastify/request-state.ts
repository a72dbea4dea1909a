import type { AddedMessage } from '../../messages/carry-messages.js';
import type { FastifyInstanceLike, FastifyReplyLike } from './fastify-reply.js';

/** A cookie asked for as the reply is sent: its `Set-Cookie` value, or none. @internal */
export type CookieOnSend = () => string | undefined;

/**
 * What the module keeps of one Fastify request: one object of one shape,
 * made when first needed, under the one property every request is declared
 * with (`declareRequestState()`).
 *
 * Why one property rather than one per field: Fastify's request constructor
 * sets each declared property in a loop, a keyed store that V8 cannot cache,
 * on every route of the app (its stores ran 1,450 instructions per request
 * with six such properties, 528 with this one, 358 in the bare app:
 * bench/RESULTS.md); undeclared properties set later would give requests
 * shapes of their own instead.
 * @internal
 */
export class FastifyRequestState {
  /** The request's reply, noted before guards and handlers run, where a message added can find it. */
  reply: FastifyReplyLike | undefined = undefined;
  /** The cookies its reply is to carry, asked for as it is sent (`setCookieOnSend()`). */
  cookies: CookieOnSend[] | undefined = undefined;
  /**
   * The messages it added (`noteAddedMessage()`): a regenerate carries them,
   * and the `onResponse` hook saves the session of a request that has some
   * if `onSend` never ran. Empty where the storage carries nothing through a regenerate.
   */
  added: AddedMessage[] | undefined = undefined;
  /** Its response went through the app's `onSend` hook, where the session plugins save. */
  sent = false;
  /** Its response has gone: the request is over (`responseOver()`). */
  done = false;
  /** Listeners for the end of its response, called from the app's `onResponse` hook. */
  over: Array<() => void> | undefined = undefined;
}

const STATE = Symbol('nestjs-ajax:fastify-request-state');

type StatefulRequest = { [STATE]?: FastifyRequestState | null };

/** Declares the state's property on every request of the app, `null` until first needed. @internal */
export function declareRequestState(instance: FastifyInstanceLike): void {
  instance.decorateRequest(STATE, null);
}

/** The request's state, made if it has none yet. @internal */
export function stateOf(req: object): FastifyRequestState {
  return ((req as StatefulRequest)[STATE] ??= new FastifyRequestState());
}

/** The request's state if it has one: for reading, which makes none. Any object may be asked. @internal */
export function knownStateOf(req: object): FastifyRequestState | undefined {
  return (req as StatefulRequest)[STATE] ?? undefined;
}
