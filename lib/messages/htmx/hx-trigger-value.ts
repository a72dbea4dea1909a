import type { AjaxMessage, JsonMessage } from '../ajax-message.interface.js';

/**
 * The most bytes an `HX-Trigger` value that carries messages may take, the
 * app's own events included. A proxy refuses an answer whose headers
 * overflow its buffer for them (nginx's `proxy_buffer_size`: 4 KiB or
 * 8 KiB, one memory page, for every header of the answer together, cookies
 * and security headers included), and the visitor then gets a 502 instead of
 * the page. Half of the smaller buffer leaves the rest of the headers theirs.
 * @internal
 */
export const HX_TRIGGER_MAX_BYTES = 2048;

/** Every character outside printable ASCII that JSON leaves as it is. */
const NOT_ASCII = /[\u007f-\uffff]/g;

/** Where the messages go: first, so that an app's event with a `target` cannot send them elsewhere. */
const OPEN = '{"messages":[';

/** The `HX-Trigger` value of one answer: the app's own events, and room for messages. @internal */
export interface HxTriggerValue {
  /** How many of these messages, oldest first, fit in the value. */
  fitting(pending: readonly AjaxMessage[]): number;
  /** The value with these messages. */
  with(messages: readonly JsonMessage[]): string;
}

/**
 * The `HX-Trigger` value that adds messages to what the app set, as
 * `{"messages":[{"message","tags"}],…the app's events}`: htmx fires a
 * `messages` event whose `detail.value` is the list. `undefined` when the
 * app's value cannot take them: it has a `messages` event of its own (the
 * app's wins), or it starts like JSON and is not a JSON object.
 *
 * The app's value may be JSON (`{"showToast":"Saved"}`), kept as it is
 * after the messages, or a list of event names (`"a, b"`), made JSON with an
 * empty object as each event's detail (htmx adds `elt` to it, as it does to
 * the list form's). The messages are JSON in ASCII: Node refuses a header
 * character above U+00FF, and browsers read header bytes as Latin-1, so
 * every other character is escaped (`\u00e9`), which JSON reads back.
 * @internal
 */
export function hxTriggerValue(appValue: unknown): HxTriggerValue | undefined {
  const rest = appEvents(appValue);
  if (rest === undefined) return undefined;
  // Each character of the app's value is one byte: Node sends header strings as Latin-1.
  const fixed = OPEN.length + 1 + rest.length;
  return {
    fitting(pending) {
      let bytes = fixed;
      for (let i = 0; i < pending.length; i++) {
        bytes += messageJson(pending[i]).length + (i > 0 ? 1 : 0);
        if (bytes > HX_TRIGGER_MAX_BYTES) return i;
      }
      return pending.length;
    },
    with: (messages) => `${OPEN}${messages.map(messageJson).join(',')}]${rest}`,
  };
}

/** JSON text in ASCII: `JSON.stringify`, with every character beyond ASCII escaped. @internal */
export function asciiJson(value: unknown): string {
  return (JSON.stringify(value) ?? '').replace(NOT_ASCII, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function messageJson({ message, tags }: JsonMessage): string {
  return asciiJson({ message, tags });
}

/** What follows the messages in the value: the app's events, then the closing brace. */
function appEvents(appValue: unknown): string | undefined {
  if (appValue === undefined || appValue === null) return '}';
  // Several header lines reach the page as one, joined with ", ".
  const text = (Array.isArray(appValue) ? appValue.join(', ') : String(appValue)).trim();
  if (text === '') return '}';
  // htmx reads a value that starts with "{" as JSON, and any other as names.
  return text.startsWith('{') ? objectEvents(text) : namedEvents(text);
}

function objectEvents(text: string): string | undefined {
  let events: unknown;
  try {
    events = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof events !== 'object' || events === null || Object.hasOwn(events, 'messages')) return undefined;
  return Object.keys(events).length === 0 ? '}' : `,${text.slice(1)}`;
}

function namedEvents(text: string): string | undefined {
  const names = new Set(text.split(',').map((name) => name.trim()).filter((name) => name !== ''));
  if (names.has('messages')) return undefined;
  let events = '';
  for (const name of names) events += `,${asciiJson(name)}:{}`;
  return `${events}}`;
}
