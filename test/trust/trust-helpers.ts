export { UNAVAILABLE, until } from '../fixtures/until.js';
/**
 * Helpers shared by the trust specs (test/trust/NN-*.e2e-spec.ts), which pin
 * the promises of the Guarantees table that hold the module to its trust fixes.
 */

/** The module's own bodies. */
export const UNAUTHORIZED = { status: 'error', error: 'Unauthorized' } as const;
export const INTERNAL = { status: 'error', error: 'Internal server error' } as const;
export const METHOD_NOT_ALLOWED = { status: 'error', error: 'Method not allowed' } as const;
export const JSON_TYPE = 'application/json; charset=utf-8';


/** An info message as a JSON body carries it. */
export function info(message: string): { message: string; tags: string } {
  return { message, tags: 'info' };
}

type Settle<T> = { state: 'pending' } | { state: 'fulfilled'; value: T } | { state: 'rejected'; reason: unknown };
type OnFulfilled<T, R> = ((value: T) => R | PromiseLike<R>) | null | undefined;
type OnRejected<R> = ((reason: unknown) => R | PromiseLike<R>) | null | undefined;

/**
 * A hand-written Promises/A+ implementation (not a native Promise, not
 * Bluebird): `then` returns a new thenable, callbacks run asynchronously and
 * once, and the resolution procedure (§2.3) adopts other thenables. What an
 * `isAuthenticated` built on some other promise library returns.
 */
export class APlusThenable<T> implements PromiseLike<T> {
  private settled: Settle<T> = { state: 'pending' };
  private readonly waiting: Array<() => void> = [];

  constructor(executor: (resolve: (value: T | PromiseLike<T>) => void, reject: (reason: unknown) => void) => void) {
    let called = false;
    try {
      executor(
        (value) => {
          if (called) return;
          called = true;
          this.resolveWith(value);
        },
        (reason) => {
          if (called) return;
          called = true;
          this.settle({ state: 'rejected', reason });
        },
      );
    } catch (error) {
      if (!called) {
        called = true;
        this.settle({ state: 'rejected', reason: error });
      }
    }
  }

  static resolve<T>(value: T): APlusThenable<T> {
    return new APlusThenable<T>((resolve) => setTimeout(() => resolve(value), 5));
  }

  static reject<T = never>(reason: unknown): APlusThenable<T> {
    return new APlusThenable<T>((_resolve, reject) => setTimeout(() => reject(reason), 5));
  }

  then<R1 = T, R2 = never>(onFulfilled?: OnFulfilled<T, R1>, onRejected?: OnRejected<R2>): APlusThenable<R1 | R2> {
    return new APlusThenable<R1 | R2>((resolve, reject) => {
      const run = (): void => {
        const settled = this.settled;
        try {
          if (settled.state === 'fulfilled') {
            if (typeof onFulfilled === 'function') resolve(onFulfilled(settled.value));
            else resolve(settled.value as unknown as R1);
          } else if (settled.state === 'rejected') {
            if (typeof onRejected === 'function') resolve(onRejected(settled.reason));
            else reject(settled.reason);
          }
        } catch (error) {
          reject(error);
        }
      };
      // §2.2.4: callbacks run on a fresh stack, never synchronously within then().
      if (this.settled.state === 'pending') this.waiting.push(() => setTimeout(run, 0));
      else setTimeout(run, 0);
    });
  }

  /** §2.3, the resolution procedure. */
  private resolveWith(value: T | PromiseLike<T>): void {
    if (value === this) {
      this.settle({ state: 'rejected', reason: new TypeError('A promise cannot resolve to itself') });
      return;
    }
    if ((typeof value === 'object' && value !== null) || typeof value === 'function') {
      let then: unknown;
      try {
        then = (value as { then?: unknown }).then;
      } catch (error) {
        this.settle({ state: 'rejected', reason: error });
        return;
      }
      if (typeof then === 'function') {
        let called = false;
        try {
          (then as PromiseLike<T>['then']).call(
            value,
            (inner: T) => {
              if (called) return;
              called = true;
              this.resolveWith(inner);
            },
            (reason: unknown) => {
              if (called) return;
              called = true;
              this.settle({ state: 'rejected', reason });
            },
          );
        } catch (error) {
          if (!called) {
            called = true;
            this.settle({ state: 'rejected', reason: error });
          }
        }
        return;
      }
    }
    this.settle({ state: 'fulfilled', value: value as T });
  }

  private settle(settled: Settle<T>): void {
    if (this.settled.state !== 'pending') return;
    this.settled = settled;
    for (const wake of this.waiting.splice(0)) wake();
  }
}
