import type { AjaxErrorInfo } from '../options/ajax-module-options.interface.js';
import { reasonPhrase } from './reason-phrase.js';

/**
 * The module's error body: `{ status: 'error', error, message?, messages? }`,
 * the optional keys only when there is something to say.
 * @internal
 */
export function defaultErrorBody(info: Pick<AjaxErrorInfo, 'error' | 'message' | 'messages'>): Record<string, unknown> {
  const body: Record<string, unknown> = { status: 'error', error: info.error };
  if (info.message !== undefined) body.message = info.message;
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
