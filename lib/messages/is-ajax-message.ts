import type { AjaxMessage } from './ajax-message.interface.js';

/** Whether data read back from a store is a message this module wrote. @internal */
export function isAjaxMessage(value: unknown): value is AjaxMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  return typeof m.message === 'string' && typeof m.tags === 'string' && typeof m.level === 'number';
}
