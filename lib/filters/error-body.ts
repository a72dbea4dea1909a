import type { AjaxErrorFormat, AjaxErrorInfo } from '../options/ajax-module-options.interface.js';
import { problemDetails, problemInstance } from './problem-details.js';
import { PROBLEM_JSON } from './problem-media-type.js';
import { reasonPhrase } from './reason-phrase.js';

/**
 * The module's error body: `{ status: 'error', error, message?, …members, messages? }`,
 * the optional keys only when there is something to say; the app's own
 * exception members (`code`, `field`…) between the message and the messages,
 * never in place of one of the module's keys.
 * @internal
 */
export function defaultErrorBody(info: Pick<AjaxErrorInfo, 'error' | 'message' | 'members' | 'messages'>): Record<string, unknown> {
  const body: Record<string, unknown> = { status: 'error', error: info.error };
  if (info.message !== undefined) body.message = info.message;
  if (info.members) {
    for (const [key, value] of Object.entries(info.members)) {
      if (key === 'messages' || Object.hasOwn(body, key)) continue;
      Object.defineProperty(body, key, { value, enumerable: true, writable: true, configurable: true });
    }
  }
  if (info.messages !== undefined) body.messages = info.messages;
  return body;
}

/**
 * The module's error body in the app's format: its own body, or RFC 9457
 * problem details whose `instance` is the request's path.
 * @internal
 */
export function moduleErrorBody(
  format: AjaxErrorFormat,
  info: Pick<AjaxErrorInfo, 'status' | 'error' | 'message' | 'members' | 'messages'>,
  request: object | undefined,
): Record<string, unknown> {
  return format === 'problem+json' ? problemDetails(info, problemInstance(request)) : defaultErrorBody(info);
}

/**
 * The module's body for a status the module itself answers (401, 403, 405,
 * 503), in the app's format: its reason phrase, and a message when there is
 * one to give.
 * @internal
 */
export function statusErrorBody(format: AjaxErrorFormat, status: number, request: object | undefined, message?: string): Record<string, unknown> {
  return moduleErrorBody(format, { status, error: reasonPhrase(status), message }, request);
}

/**
 * The media type of the module's error answers in a format: problem details'
 * own, or `undefined` for the platform's JSON (`application/json`).
 * @internal
 */
export function errorContentType(format: AjaxErrorFormat): string | undefined {
  return format === 'problem+json' ? PROBLEM_JSON : undefined;
}
