/**
 * A plain data object (`{...}` or `Object.create(null)`), the only body the
 * module adds keys to: arrays, class instances, Buffers and streams are sent
 * as they are.
 * @internal
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
