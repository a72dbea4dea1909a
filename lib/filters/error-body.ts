import type { AjaxErrorInfo } from '../options/ajax-module-options.interface.js';
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
 * The module's body for a status the module itself answers (401, 403, 405,
 * 503): its reason phrase, and a message when there is one to give.
 * @internal
 */
export function statusErrorBody(status: number, message?: string): Record<string, unknown> {
  return defaultErrorBody({ error: reasonPhrase(status), message });
}
