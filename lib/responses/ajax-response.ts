import { describeValue } from '../ajax.errors.js';
import { isPlainObject } from '../is-plain-object.js';

/** Options of an `AjaxResponse`. */
export interface AjaxResponseOptions {
  /** Added to the body as `"success": true|false` (a value of another type is made a boolean, as djem does); left out when not given. */
  success?: boolean;
  /** HTTP status of the response: 2xx, 4xx or 5xx (a redirect has no JSON body to speak of). Default: the route's (200, or 201 for POST, or `@HttpCode()`). */
  status?: number;
}

/**
 * A JSON response with djem's `AjaxResponse` conveniences: an optional
 * `success` flag and a status, plus the pending messages that
 * `AjaxMessagesInterceptor` adds to every JSON body.
 *
 * @example
 * if (!choice) {
 *   messages.error('Invalid choice.');
 *   return new AjaxResponse({}, { success: false });
 * }
 * // → { "success": false, "messages": [{ "message": "Invalid choice.", "tags": "error" }] }
 */
export class AjaxResponse<T extends object = Record<string, unknown>> {
  /** The body's own data. */
  readonly data: T;
  /** The `success` flag, when given. */
  readonly success?: boolean;
  /** The status, when given. */
  readonly status?: number;

  /**
   * @param data a plain object (default `{}`); anything else is a TypeError, as in djem.
   * @param options `success` and `status`.
   */
  constructor(data?: T, options: AjaxResponseOptions = {}) {
    if (data !== undefined && !isPlainObject(data)) {
      throw new TypeError(`AjaxResponse data must be a plain object such as { votes: 3 }; got ${describeValue(data)}.`);
    }
    const { success, status } = options ?? {};
    if (status !== undefined && !isJsonStatus(status)) {
      throw new TypeError(`AjaxResponse option "status" must be a success (2xx) or error (4xx, 5xx) status; got ${describeValue(status)}.`);
    }
    this.data = data ?? ({} as T);
    // Always a real boolean, whatever was passed, as in djem.
    if (success !== undefined) this.success = Boolean(success);
    if (status !== undefined) this.status = status;
  }

  /**
   * The body without messages: the data, then `success` when given. Also what
   * `JSON.stringify` gives, so a response sent without the interceptor still
   * has the right shape.
   */
  toJSON(): Record<string, unknown> {
    const data = this.data as Record<string, unknown>;
    return this.success === undefined ? { ...data } : { ...data, success: this.success };
  }
}

/** 2xx, 4xx or 5xx: the statuses a JSON body makes sense with. */
function isJsonStatus(status: unknown): status is number {
  return Number.isInteger(status) && (status as number) >= 200 && (status as number) <= 599 && ((status as number) < 300 || (status as number) >= 400);
}
