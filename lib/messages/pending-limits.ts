import { Buffer } from 'node:buffer';
import { Logger } from '@nestjs/common';
import type { AjaxRequest } from '../ajax-request.interface.js';
import { platformOf } from '../platform/platform-of.js';
import type { AjaxMessage } from './ajax-message.interface.js';

/**
 * How much one visitor's pending messages may hold: the `messages.maxPending`
 * and `messages.maxPendingBytes` options. A storage keeps within both by
 * dropping the oldest messages, as Django's cookie storage does.
 */
export interface PendingLimits {
  /** Most messages kept. */
  readonly maxCount: number;
  /** Most bytes kept: the UTF-8 bytes of every kept message's text and tags. */
  readonly maxBytes: number;
}

/** The defaults: 50 messages, 8 KiB. */
export const DEFAULT_PENDING_LIMITS: PendingLimits = Object.freeze({ maxCount: 50, maxBytes: 8192 });

/** What a message counts against `maxBytes`. @internal */
export function messageBytes(message: AjaxMessage): number {
  return Buffer.byteLength(message.message) + Buffer.byteLength(message.tags);
}

/**
 * How many of the oldest messages of a list (oldest first) must go for the
 * rest to keep within the limits; newest messages are kept first.
 * @internal
 */
export function excessOf(messages: readonly AjaxMessage[], limits: PendingLimits): number {
  let keep = 0;
  let bytes = 0;
  for (let i = messages.length - 1; i >= 0 && keep < limits.maxCount; i--) {
    bytes += messageBytes(messages[i]);
    if (bytes > limits.maxBytes) break;
    keep++;
  }
  return messages.length - keep;
}

const logger = new Logger('AjaxMessages');
/** Visitors already told of in the log; bounded, so that it cannot grow with the number of visitors. */
const reported = new Set<string>();
const MAX_REPORTED = 10_000;

/**
 * Logs, once per visitor (per session), that messages were dropped to keep
 * within the limits.
 * @internal
 */
export function reportDropped(req: AjaxRequest, dropped: number, limits: PendingLimits): void {
  const visitor = platformOf(req).sessionIdOf(req) ?? '(no session)';
  if (reported.has(visitor)) return;
  if (reported.size >= MAX_REPORTED) reported.clear();
  reported.add(visitor);
  logger.warn(
    `${dropped} pending message(s) of a visitor were dropped, the oldest first, to keep within ${limits.maxCount} messages and ` +
      `${limits.maxBytes} bytes (messages.maxPending, messages.maxPendingBytes); logged once per visitor. ` +
      'Messages pile up when responses that could carry them are not JSON objects.',
  );
}

/**
 * Appends a message to a visitor's list (oldest first), then drops the
 * oldest past the limits, logged once per visitor. A message over
 * `maxBytes` on its own is dropped itself, never the older ones for it.
 * @internal
 */
export function pushWithinLimits(req: AjaxRequest, list: AjaxMessage[], message: AjaxMessage, limits: PendingLimits): void {
  const size = messageBytes(message);
  if (size > limits.maxBytes) return reportDropped(req, 1, limits);
  const known = sizes.get(list);
  const unchanged = known !== undefined && known.count === list.length && known.last === list[list.length - 1];
  list.push(message);
  // Within both limits as the list was last measured, and as this module left it: one addition, no walk over the list.
  if (unchanged && list.length <= limits.maxCount && known.bytes + size <= limits.maxBytes) {
    known.count = list.length;
    known.bytes += size;
    known.last = message;
    return;
  }
  const excess = excessOf(list, limits);
  if (excess > 0) {
    list.splice(0, excess);
    reportDropped(req, excess, limits);
  }
  // A short list costs less to walk again than to remember.
  if (list.length >= REMEMBERED_FROM) {
    sizes.set(list, { count: list.length, bytes: list.reduce((total, kept) => total + messageBytes(kept), 0), last: list[list.length - 1] });
  }
}

/** The length from which a list's size is remembered. */
const REMEMBERED_FROM = 8;

/**
 * The count and bytes of lists `pushWithinLimits()` measured, so that the
 * messages one request adds cost one addition each rather than a walk over
 * all that are pending. Forgotten with the list: a session read anew gives a
 * new one, measured once.
 */
const sizes = new WeakMap<AjaxMessage[], { count: number; bytes: number; last: AjaxMessage | undefined }>();
