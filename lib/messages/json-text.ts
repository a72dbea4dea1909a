import type { JsonMessage } from './ajax-message.interface.js';

type Replacer = (this: unknown, key: string, value: unknown) => unknown;

/** How an app serialises JSON (Express's `json replacer`, `json spaces` and `json escape`; Fastify has none). @internal */
export interface JsonSettings {
  readonly replacer?: Replacer;
  readonly spaces?: string | number;
  readonly escape: boolean;
}

/** Plain `JSON.stringify`: Fastify's default serialiser, and Express's without settings. @internal */
export const PLAIN_JSON: JsonSettings = Object.freeze({ escape: false });

/**
 * The JSON text of a body as the app's settings make it. It throws where
 * sending the body would (a BigInt, a cycle, a `toJSON` that throws), and is
 * `undefined` where nothing would be sent.
 *
 * Serialising before sending lets the module see that a body cannot be sent
 * before it takes any message for it, and add the messages to the text
 * without serialising the body twice.
 * @internal
 */
export function jsonText(settings: JsonSettings, value: unknown): string | undefined {
  const { replacer, spaces } = settings;
  const text = replacer || spaces ? JSON.stringify(value, replacer, spaces) : JSON.stringify(value);
  return settings.escape && text !== undefined ? escapeHtmlCharacters(text) : text;
}

/**
 * A JSON object's text with a `messages` member added at its end, made with
 * the app's JSON settings as a member of an object, so that a replacer and
 * indentation apply to it as they would have to a body that held it. The
 * caller has made sure the text is an object's and has no `messages` of its own.
 * @internal
 */
export function withMessagesText(settings: JsonSettings, text: string, messages: readonly JsonMessage[]): string {
  let member: string;
  if (settings.replacer || settings.spaces) {
    const wrapped = jsonText(settings, { messages }) ?? '';
    member = wrapped.slice(1, wrapped.lastIndexOf('}')).trimEnd();
    // A replacer that dropped or renamed the member: the messages as they are, since they were taken for this body.
    if (!member.trimStart().startsWith('"messages"')) member = `"messages":${jsonText({ escape: settings.escape }, messages)}`;
  } else {
    member = `"messages":${jsonText(settings, messages)}`;
  }
  const close = text.lastIndexOf('}');
  let last = close - 1;
  while (last > 0 && isJsonSpace(text.charCodeAt(last))) last--;
  const separator = text.charCodeAt(last) === OPEN_BRACE ? '' : ',';
  return `${text.slice(0, last + 1)}${separator}${member}${text.slice(last + 1)}`;
}

/** Whether JSON text is an object's: what can carry `messages`. @internal */
export function isObjectText(text: string | undefined): text is string {
  return text !== undefined && text.charCodeAt(0) === OPEN_BRACE;
}

const OPEN_BRACE = 0x7b;

function isJsonSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

/** Express's `json escape`: `<`, `>` and `&` as Unicode escapes, so no sniffer reads the JSON as HTML. */
function escapeHtmlCharacters(text: string): string {
  return text.replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
