import { isObjectText, jsonText, withMessagesText } from '../../lib/messages/json-text.js';
import { checkNotModified, jsonSettings, type JsonTextResponse } from '../../lib/platform/express/express-json.js';

/** A response whose app has the given Express settings, recording headers. */
function responseWith(settings: Record<string, unknown> = {}): JsonTextResponse & { headers: Map<string, string> } {
  const headers = new Map<string, string>();
  return {
    headers,
    app: { get: (name: string) => settings[name] },
    get: (name: string) => headers.get(name.toLowerCase()),
    set: (name: string, value: string) => headers.set(name.toLowerCase(), value),
    removeHeader: (name: string) => headers.delete(name.toLowerCase()),
    send: () => undefined,
  };
}

const messages = [{ message: 'Saved <b>&</b>', tags: 'success' }];

describe('JSON text with messages added', () => {
  it.each([
    ['an object with members', {}, { a: 1 }],
    ['an empty object', {}, {}],
    ['json spaces', { 'json spaces': 2 }, { a: 1, b: [1, 2] }],
    ['json spaces, empty object', { 'json spaces': 2 }, {}],
    ['json escape', { 'json escape': true }, { html: '<script>' }],
    ['a json replacer', { 'json replacer': (_key: string, value: unknown) => (typeof value === 'bigint' ? String(value) : value) }, { n: 10n }],
  ])('gives valid JSON whose members are the body\'s, then messages: %s', (_name, settings, body) => {
    const json = jsonSettings(responseWith(settings));
    const text = jsonText(json, body);
    expect(isObjectText(text)).toBe(true);
    const combined = withMessagesText(json, text!, messages);
    const parsed = JSON.parse(combined) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual([...Object.keys(body), 'messages']);
    expect(parsed.messages).toEqual(messages);
    if ((settings as Record<string, unknown>)['json escape']) expect(combined).not.toMatch(/[<>&]/);
  });

  it('passes the messages through the app\'s replacer, as a member of an object', () => {
    const json = jsonSettings(responseWith({ 'json replacer': (key: string, value: unknown) => (key === 'message' ? String(value).toUpperCase() : value) }));
    expect(JSON.parse(withMessagesText(json, '{"a":1}', messages))).toEqual({ a: 1, messages: [{ message: 'SAVED <B>&</B>', tags: 'success' }] });
  });

  it('throws where res.json would, before any message is involved', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => jsonText(jsonSettings(responseWith()), { n: 1n })).toThrow(TypeError);
    expect(() => jsonText(jsonSettings(responseWith()), cyclic)).toThrow(TypeError);
  });

  it('tells object text from other JSON', () => {
    expect(isObjectText('{"a":1}')).toBe(true);
    expect([undefined, '[1]', '"s"', '5', 'null'].map(isObjectText)).toEqual([false, false, false, false, false]);
  });

  it('sets the ETag of the body without messages for a conditional request, and says whether it is fresh', () => {
    const res = responseWith({ 'etag fn': () => '"abc"' });
    expect(checkNotModified({ headers: {} }, res, '{}')).toBeUndefined();
    expect(res.headers.has('etag')).toBe(false);
    expect(checkNotModified({ headers: { 'if-none-match': '"old"' }, fresh: false }, res, '{}')).toBe('etag-set');
    expect(res.headers.get('etag')).toBe('"abc"');
    expect(checkNotModified({ headers: { 'if-none-match': '"abc"' }, fresh: true }, responseWith({ 'etag fn': () => '"abc"' }), '{}')).toBe('fresh');
  });
});
