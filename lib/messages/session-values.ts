/**
 * A session value, read and written the way every supported session works:
 * express-session and `@fastify/session` hold values as properties;
 * `@fastify/secure-session` holds them behind `get()`/`set()` and saves only
 * what `set()` wrote. A list changed in place must therefore be written back.
 * @internal
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Session = Record<string, any>;

/** The value of `key` in the session. @internal */
export function readSessionValue(session: Session, key: string): unknown {
  return typeof session.get === 'function' ? session.get(key) : session[key];
}

/**
 * Writes `key` in the session. `undefined` rather than a delete: deleting
 * would turn an express-session object into a slow dictionary, and every
 * store serialises to JSON, which leaves an undefined key out.
 * @internal
 */
export function writeSessionValue(session: Session, key: string, value: unknown): void {
  if (typeof session.set === 'function') session.set(key, value);
  else session[key] = value;
}
