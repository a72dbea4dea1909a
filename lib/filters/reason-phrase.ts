import { STATUS_CODES } from 'node:http';

/**
 * Sentence case, keeping acronyms: "Not Found" → "Not found",
 * "HTTP Version Not Supported" → "HTTP version not supported".
 */
function sentenceCase(phrase: string): string {
  return phrase
    .split(' ')
    .map((word, index) => (index === 0 || (word.length > 1 && word === word.toUpperCase()) ? word : word.toLowerCase()))
    .join(' ');
}

const PHRASES = new Map<number, string>(
  Object.entries(STATUS_CODES).map(([status, phrase]) => [Number(status), sentenceCase(phrase ?? '')]),
);

/**
 * The reason phrase of an HTTP status in sentence case, as the `error` field
 * of every error body: 404 → "Not found", 500 → "Internal server error".
 * A status Node does not name gets "Client error" or "Server error".
 * @internal
 */
export function reasonPhrase(status: number): string {
  return PHRASES.get(status) ?? (status < 500 ? 'Client error' : 'Server error');
}

/**
 * The reason phrase of an HTTP status as HTTP spells it, the `title` of
 * problem details: 404 → "Not Found". A status Node does not name gets
 * "Client Error" or "Server Error".
 * @internal
 */
export function httpReasonPhrase(status: number): string {
  return STATUS_CODES[status] ?? (status < 500 ? 'Client Error' : 'Server Error');
}
