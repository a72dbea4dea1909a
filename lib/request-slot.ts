/**
 * A value the module keeps on a request under a symbol of its own, for the
 * few requests that need one: a level set with `setLevel()`, an htmx answer
 * that owes its messages, a write of messages still pending, messages of a
 * request without a session.
 *
 * It is read only once a value has been set in this process. Express gives
 * every request and response a prototype of its own making
 * (`Object.setPrototypeOf()` per request), which gives each of them a V8
 * hidden class of its own: a property read on them, at a place in the code
 * that sees many requests, does not stay in V8's caches,
 * and each read of a key the request does not have costs a look-up through
 * V8's runtime, about 1 µs (bench/RESULTS.md, "Express and V8's caches").
 * Until the first `set()`, `get()` costs a boolean test.
 *
 * A slot under a `Symbol.for()` key shares that mark through `globalThis`,
 * so that both builds of the package, loaded in one process, read what
 * either set.
 * @internal
 */
export class RequestSlot<T> {
  private readonly mark: { set: boolean };

  constructor(private readonly key: symbol) {
    const shared = Symbol.keyFor(key);
    this.mark = shared === undefined ? { set: false } : sharedMark(shared);
  }

  /** The request's value; `undefined` without one. */
  get(req: object): T | undefined {
    return this.mark.set ? (req as Record<symbol, T | undefined>)[this.key] : undefined;
  }

  set(req: object, value: T): void {
    this.mark.set = true;
    (req as Record<symbol, T>)[this.key] = value;
  }

  delete(req: object): void {
    if (this.mark.set) delete (req as Record<symbol, T>)[this.key];
  }
}

/** The one "ever set" mark of a shared key in this process. */
function sharedMark(name: string): { set: boolean } {
  const registry = globalThis as Record<symbol, { set: boolean } | undefined>;
  const key = Symbol.for(`${name}:ever-set`);
  return (registry[key] ??= { set: false });
}
