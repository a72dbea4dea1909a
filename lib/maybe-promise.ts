import type { MaybePromise } from './messages/message-storage.interface.js';

/**
 * Applies `next` to a value that may still be a promise, synchronously when it
 * is not: the module stays synchronous wherever the app's callbacks and the
 * storage are, as a promise per request is not free.
 * @internal
 */
export function whenReady<T, U>(value: MaybePromise<T>, next: (ready: T) => MaybePromise<U>): MaybePromise<U> {
  return value instanceof Promise ? value.then(next) : next(value);
}

/** Whether a value is a promise of any kind: an object or function with a `then` method. @internal */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
