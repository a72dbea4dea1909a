import { randomBytes } from 'node:crypto';
import type { AjaxMessage } from '../ajax-message.interface.js';
import { isAjaxMessage } from '../is-ajax-message.js';
import { messageBytes } from '../pending-limits.js';

/** Tells this process's messages from another's that were added at the same instant. @internal */
export const PROCESS_TAG = randomBytes(6).toString('hex');
let lastScore = 0;

/**
 * A message's place in its visitor's set: microseconds since the epoch, made
 * strictly increasing within the process, so that messages added in one
 * millisecond keep the order they were added in.
 * @internal
 */
export function nextScore(): number {
  lastScore = Math.max(lastScore + 1, Date.now() * 1000);
  return lastScore;
}

/** A message as stored: its score inside, so a put-back can restore its place, and the member itself. @internal */
export interface StoredMessage extends AjaxMessage {
  at: number;
  raw: string;
}

/**
 * The sorted-set member of a message: its size first (`<bytes>:`), counted
 * once here, which the add script sums to keep the byte bound, then the
 * message with its score and this process's tag, so that two equal messages
 * are two members.
 * @internal
 */
export function storedMember(message: AjaxMessage, score: number): string {
  const json = JSON.stringify({ at: score, p: PROCESS_TAG, level: message.level, message: message.message, tags: message.tags });
  return `${messageBytes(message)}:${json}`;
}

/** The messages among a reply's members, in the reply's order; members this module did not write are skipped. @internal */
export function parseMembers(raw: unknown): StoredMessage[] {
  if (!Array.isArray(raw)) return [];
  const messages: StoredMessage[] = [];
  for (const item of raw) {
    const member = String(item);
    const size = /^\d+:/.exec(member);
    if (!size) continue; // not written by this module (or a score, in a reply that lists both)
    try {
      const stored: unknown = JSON.parse(member.slice(size[0].length));
      if (isAjaxMessage(stored) && typeof (stored as StoredMessage).at === 'number') messages.push({ ...(stored as StoredMessage), raw: member });
    } catch {
      // Not written by this module: skip it.
    }
  }
  return messages;
}

/** The message a stored one carries, as the storage interface hands it out. @internal */
export function toMessage({ level, message, tags }: StoredMessage): AjaxMessage {
  return { level, message, tags };
}
