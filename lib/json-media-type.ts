/** The type Express's `res.json()` and Fastify give a JSON body, and the module's JSON answers. @internal */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * Whether a `Content-Type` names JSON, by the WHATWG rule for a "JSON MIME
 * type": `application/json`, `text/json`, or any type whose subtype ends in
 * `+json` (`application/vnd.api+json`, `application/problem+json`), its
 * parameters aside. `application/x-ndjson` or `application/jsonl` are
 * streams of JSON texts, not one, and do not count.
 * @internal
 */
export function isJsonMediaType(type: unknown): boolean {
  if (typeof type !== 'string') return false;
  const essence = type.split(';')[0].trim().toLowerCase();
  return essence === 'application/json' || essence === 'text/json' || /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]*\+json$/.test(essence);
}
