import { isJsonMediaType } from '../../lib/json-media-type.js';

describe('isJsonMediaType (which types carry messages, and keep them in an error body)', () => {
  it.each(['application/json', 'application/json; charset=utf-8', 'Application/JSON', ' text/json ', 'application/vnd.api+json', 'application/problem+json; charset=utf-8', 'application/merge-patch+json'])(
    '%s is JSON',
    (type) => expect(isJsonMediaType(type)).toBe(true),
  );

  it.each(['text/html; charset=utf-8', 'text/html; profile=json', 'application/x-ndjson', 'application/jsonl', 'application/json-seq', 'application/vnd.json+xml', 'application/json5', '', undefined, 42])(
    '%s is not',
    (type) => expect(isJsonMediaType(type)).toBe(false),
  );
});
