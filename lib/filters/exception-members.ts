/**
 * Keys of an HttpException's response object that are not the app's own
 * data: the module's body keys (which always win), Nest's bookkeeping
 * (`statusCode`, and `error`, its reason phrase) and what must never reach a
 * client (`stack`).
 */
const NOT_MEMBERS = new Set(['status', 'error', 'message', 'messages', 'statusCode', 'stack']);

/**
 * The members an app put in a 4xx HttpException's response object, beyond
 * `message`: `new BadRequestException({ code: 'E_NAME', message: '…', field: 'name' })`
 * gives `{ code: 'E_NAME', field: 'name' }`, Nest 12's `errorCode` option
 * `{ errorCode }`. Each member is kept only when it can be sent as JSON on
 * its own, so one odd value (a BigInt, a cycle) costs only itself, never the
 * error body. Undefined when there are none.
 * @internal
 */
export function exceptionMembers(response: unknown): Record<string, unknown> | undefined {
  if (typeof response !== 'object' || response === null || Array.isArray(response)) return undefined;
  let members: Record<string, unknown> | undefined;
  for (const key of Object.keys(response)) {
    if (NOT_MEMBERS.has(key)) continue;
    const value = (response as Record<string, unknown>)[key];
    if (!sendable(value)) continue;
    // defineProperty: a key such as "__proto__" stays a plain member, never the body's prototype.
    Object.defineProperty((members ??= {}), key, { value, enumerable: true, writable: true, configurable: true });
  }
  return members;
}

function sendable(value: unknown): boolean {
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return false;
  try {
    return JSON.stringify(value) !== undefined;
  } catch {
    return false;
  }
}
