import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { AjaxRequest } from '../../lib/ajax-request.interface.js';
import type { AjaxMessage } from '../../lib/messages/ajax-message.interface.js';
import { connectFlash } from '../../lib/messages/connect-flash.js';
import { askedFlashType, flashExtraTagsOf, flashLevelOf, flashTypeOf } from '../../lib/messages/flash-types.js';
import { DEFAULT_LEVEL_TAGS, messageTags } from '../../lib/messages/message-level.js';
import { resolveAjaxOptions } from '../../lib/options/resolve-ajax-options.js';

const BOOTSTRAP_TAGS = { ...DEFAULT_LEVEL_TAGS, 20: 'primary', 40: 'danger' };

/** The message `req.flash(type, text)` stores, with these level tags. */
function flashed(type: string, levelTags: Record<number, string>): AjaxMessage {
  const level = flashLevelOf(type);
  return { level, message: 'text', tags: messageTags(levelTags, level, flashExtraTagsOf(type)) };
}

describe('req.flash() types', () => {
  it.each([DEFAULT_LEVEL_TAGS, BOOTSTRAP_TAGS])('a type added is the type read back, whatever the level tags (%j)', (levelTags) => {
    for (const type of ['debug', 'info', 'success', 'warning', 'warn', 'error', 'notice', 'two words', 'Error', 'constructor', '__proto__', ' padded ']) {
      expect([type, flashTypeOf(flashed(type, levelTags), levelTags)]).toEqual([type, askedFlashType(type)]);
    }
  });

  it('the levels\' names add at their levels, any other type at INFO with the type as its extra tags', () => {
    expect(['debug', 'info', 'success', 'warning', 'warn', 'error', 'notice'].map(flashLevelOf)).toEqual([10, 20, 25, 30, 30, 40, 20]);
    expect(flashed('notice', DEFAULT_LEVEL_TAGS).tags).toBe('notice info');
    expect(flashed('error', BOOTSTRAP_TAGS).tags).toBe('danger');
  });

  it('a message added otherwise is filed by its level, an INFO one with extra tags under them, a level of the app\'s own under its tag', () => {
    const of = (level: number, tags: string, levelTags: Record<number, string> = BOOTSTRAP_TAGS): string => flashTypeOf({ level, message: 'm', tags }, levelTags);
    expect(of(40, 'urgent danger')).toBe('error');
    expect(of(20, 'important primary')).toBe('important');
    expect(of(20, 'primary')).toBe('info');
    expect(of(35, 'notice', { ...BOOTSTRAP_TAGS, 35: 'notice' })).toBe('notice');
    expect(of(35, '')).toBe('info');
  });
});

describe('connectFlash()', () => {
  const flash = connectFlash(resolveAjaxOptions({ flash: true }).messages);
  const request = (): AjaxRequest => ({ method: 'POST', headers: {}, session: {} });

  it('groups a type named like an object\'s own members as any other type', () => {
    const req = request();
    flash.call(req, '__proto__', 'p');
    flash.call(req, 'constructor', 'c');
    const all = flash.call(req) as Record<string, string[]>;
    expect(Object.getPrototypeOf(all)).toBe(Object.prototype);
    expect(Object.entries(all)).toEqual([
      ['__proto__', ['p']],
      ['constructor', ['c']],
    ]);
  });

  it('called detached from its request, it says how to call it', () => {
    expect(() => flash.call(undefined as never, 'info', 'x')).toThrow(/must be called on its request, as req\.flash\(type, message\)/);
  });

  it('a request without a session keeps its messages for the request, where connect-flash throws', () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const req: AjaxRequest = { method: 'POST', headers: {}, res: { statusCode: 200, headersSent: false, setHeader: () => undefined, once: () => undefined } };
    expect(flash.call(req, 'info', 'x')).toBe(1);
    expect(flash.call(req, 'info')).toEqual(['x']);
    jest.restoreAllMocks();
  });
});
