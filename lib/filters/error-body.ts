import type { AjaxErrorInfo } from '../options/ajax-module-options.interface.js';

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
