import { Buffer } from 'node:buffer';
import type { AjaxMessage } from '../ajax-message.interface.js';

/**
 * A message as the cookie keeps it, `[level, message, tags]`: a third of the
 * bytes of the object with its keys, where every byte counts against
 * `maxBytes`.
 */
type CookieEntry = [number, string, string];

/** The list of messages `messagesOfPayload()` read, or why it could not. @internal */
export type ReadPayload = { readonly messages: AjaxMessage[] } | { readonly unreadable: string };

/** The payload of a list of messages: its JSON entries, in base64url, whose characters a cookie value may hold as they are. */
function payloadOf(entries: readonly string[]): string {
  return Buffer.from(`[${entries.join(',')}]`, 'utf8').toString('base64url');
}

/** How long the base64url text (without padding) of so many bytes is. */
function base64urlLength(bytes: number): number {
  return Math.floor(bytes / 3) * 4 + [0, 2, 3][bytes % 3];
}

/**
 * The messages a payload holds, oldest first, or what is wrong with it. Only
 * called on a payload whose signature verified, so a wrong one was written
 * by another version of the module or another app with the same secret.
 * @internal
 */
export function messagesOfPayload(payload: string): ReadPayload {
  let data: unknown;
  try {
    data = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { unreadable: 'it is not JSON' };
  }
  if (!Array.isArray(data) || !data.every(isCookieEntry)) return { unreadable: 'it is not a list of messages' };
  return { messages: data.map(([level, message, tags]) => Object.freeze({ level, message, tags })) };
}

function isCookieEntry(value: unknown): value is CookieEntry {
  return (
    Array.isArray(value) && value.length === 3 && Number.isInteger(value[0]) && typeof value[1] === 'string' && typeof value[2] === 'string'
  );
}

/** What goes in the cookie for a list of messages, and how many of them could not. @internal */
export interface FittedValue {
  /** The signed value; `undefined` when no message fits. */
  readonly value: string | undefined;
  /** How many were left out: the oldest, and those too large on their own. */
  readonly dropped: number;
  /** How many of those were too large on their own. */
  readonly tooLarge: number;
}

/**
 * The signed value for the newest messages whose value keeps within
 * `maxBytes`: as in `pushWithinLimits()`, a message too large on its own is
 * left out by itself, then the oldest go until the rest fit. `seal` signs a
 * payload; its signature's length is the same for every payload.
 * @internal
 */
export function fitMessages(messages: readonly AjaxMessage[], maxBytes: number, seal: (payload: string) => string): FittedValue {
  const signatureLength = seal('').length;
  const fits = (jsonBytes: number): boolean => base64urlLength(jsonBytes) + signatureLength <= maxBytes;
  const entries = messages.map(({ level, message, tags }) => JSON.stringify([level, message, tags] satisfies CookieEntry));
  const kept: string[] = [];
  // '[' and ']', then each entry and the comma before it: the newest first, until one does not fit.
  let bytes = 2;
  let tooLarge = 0;
  for (let i = entries.length - 1; i >= 0; i--) {
    const size = Buffer.byteLength(entries[i]);
    if (!fits(2 + size)) {
      tooLarge++;
      continue;
    }
    const added = size + (kept.length > 0 ? 1 : 0);
    if (!fits(bytes + added)) break;
    bytes += added;
    kept.push(entries[i]);
  }
  const value = kept.length > 0 ? seal(payloadOf(kept.reverse())) : undefined;
  return { value, dropped: messages.length - kept.length, tooLarge };
}
