/**
 * A response's `Set-Cookie` value as a list: none, one, or the list itself.
 * The module adds its cookie after these in a new array, never into the one
 * set, which may be the app's own (a constant of its module).
 * @internal
 */
export function setCookieList(value: unknown): readonly string[] {
  if (Array.isArray(value)) return value as string[];
  return value === undefined ? [] : [String(value)];
}
