import type { HttpPlatform } from '../platform/http-platform.interface.js';

/** The media type of RFC 9457 problem details, with the charset both platforms give JSON. @internal */
export const PROBLEM_JSON = 'application/problem+json; charset=utf-8';

/**
 * Marks the module's problem documents, so that a platform's JSON write
 * labels one `application/problem+json` wherever it goes out: a guard's
 * refusal rendered by Nest's own exception filter included. Not enumerable,
 * so never serialised; `Symbol.for`, so both builds of the package agree.
 */
const PROBLEM_DETAILS = Symbol.for('nestjs-ajax:problem-details');

/** Marks a body as one of the module's problem documents. @internal */
export function markProblemDetails<T extends object>(body: T): T {
  Object.defineProperty(body, PROBLEM_DETAILS, { value: true });
  return body;
}

/** Whether a body is one of the module's problem documents. @internal */
export function isProblemDetails(body: unknown): boolean {
  return typeof body === 'object' && body !== null && (body as { [PROBLEM_DETAILS]?: boolean })[PROBLEM_DETAILS] === true;
}

/** Labels the response `application/problem+json` when its JSON body is one of the module's problem documents. @internal */
export function labelProblemDetails(platform: HttpPlatform, res: object, body: unknown): void {
  if (isProblemDetails(body)) platform.setHeader(res, 'Content-Type', PROBLEM_JSON);
}
