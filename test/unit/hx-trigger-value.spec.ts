import type { AjaxMessage } from '../../lib/messages/ajax-message.interface.js';
import { HX_TRIGGER_MAX_BYTES, hxTriggerValue } from '../../lib/messages/htmx/hx-trigger-value.js';

const saved = { message: 'Saved.', tags: 'success' };
const message = (text: string): AjaxMessage => ({ level: 20, message: text, tags: 'info' });

describe('the HX-Trigger value that carries messages', () => {
  it.each([
    ['no header of the app', undefined, '{"messages":[{"message":"Saved.","tags":"success"}]}'],
    ['an empty one', '  ', '{"messages":[{"message":"Saved.","tags":"success"}]}'],
    ['an empty JSON object', '{ }', '{"messages":[{"message":"Saved.","tags":"success"}]}'],
    ['JSON, kept as it is after the messages', '{"showToast":"Saved", "n": 1.50}', '{"messages":[{"message":"Saved.","tags":"success"}],"showToast":"Saved", "n": 1.50}'],
    ['a list of names, each given an empty object', ' a, b ,, a ', '{"messages":[{"message":"Saved.","tags":"success"}],"a":{},"b":{}}'],
    ['several header lines, read as one list', ['a', 'b'], '{"messages":[{"message":"Saved.","tags":"success"}],"a":{},"b":{}}'],
    ['a name beyond ASCII, escaped', 'caf\u00e9', '{"messages":[{"message":"Saved.","tags":"success"}],"caf\\u00e9":{}}'],
  ])('merges %s', (_case, app, expected) => {
    expect(hxTriggerValue(app)?.with([saved])).toBe(expected);
    expect(JSON.parse(expected).messages).toEqual([saved]);
  });

  it.each([
    ['JSON with a messages event of its own', '{"messages":[1]}'],
    ['a list with a messages event', 'a, messages'],
    ['a value that starts like JSON and is not', '{showToast}'],
  ])('cannot take them into %s: the app wins', (_case, app) => {
    expect(hxTriggerValue(app)).toBeUndefined();
  });

  it('escapes every character beyond printable ASCII, surrogate pairs and DEL included', () => {
    const text = 'é\u007f😀\u2028';
    const value = hxTriggerValue(undefined)!.with([{ message: text, tags: 'info' }]);
    expect(value).toBe('{"messages":[{"message":"\\u00e9\\u007f\\ud83d\\ude00\\u2028","tags":"info"}]}');
    expect(JSON.parse(value).messages[0].message).toBe(text);
  });

  it('fits the oldest messages within the byte budget, counting the escapes and the app\'s events', () => {
    const plain = hxTriggerValue(undefined)!;
    const hundred = Array.from({ length: 30 }, (_, i) => message(`${String(i).padStart(2, '0')}${'x'.repeat(98)}`));
    const fitting = plain.fitting(hundred);
    expect(plain.with(hundred.slice(0, fitting)).length).toBeLessThanOrEqual(HX_TRIGGER_MAX_BYTES);
    expect(plain.with(hundred.slice(0, fitting + 1)).length).toBeGreaterThan(HX_TRIGGER_MAX_BYTES);

    const withApp = hxTriggerValue(`{"big":"${'y'.repeat(1000)}"}`)!;
    expect(withApp.fitting(hundred)).toBeLessThan(fitting);
    expect(withApp.with(hundred.slice(0, withApp.fitting(hundred))).length).toBeLessThanOrEqual(HX_TRIGGER_MAX_BYTES);

    // Six bytes for each character escaped.
    const escaped = Array.from({ length: 30 }, () => message('é'.repeat(100)));
    const fittingEscaped = plain.fitting(escaped);
    expect(fittingEscaped).toBeLessThan(fitting);
    expect(plain.with(escaped.slice(0, fittingEscaped + 1)).length).toBeGreaterThan(HX_TRIGGER_MAX_BYTES);

    expect(plain.fitting([message('z'.repeat(HX_TRIGGER_MAX_BYTES)), message('short')])).toBe(0);
    expect(hxTriggerValue(`{"big":"${'y'.repeat(HX_TRIGGER_MAX_BYTES)}"}`)!.fitting([message('short')])).toBe(0);
  });
});
