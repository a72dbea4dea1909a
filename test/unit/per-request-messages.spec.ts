import type { AjaxRequest } from '../../lib/ajax-request.interface.js';
import { AjaxConfigurationError, MessageLevel, type RequestMessages } from '../../lib/index.js';
import { messagesOfRequest, PerRequestMessages } from '../../lib/messages/per-request-messages.js';
import { resolveAjaxOptions } from '../../lib/options/resolve-ajax-options.js';

function messagesFor(req: AjaxRequest, options = {}): RequestMessages {
  return new PerRequestMessages(req, resolveAjaxOptions(options).messages);
}

describe('PerRequestMessages', () => {
  it('drops messages below the level and empty ones, and keeps the rest in order', async () => {
    const req: AjaxRequest = { method: 'POST', headers: {}, session: {} };
    const m = messagesFor(req);
    m.debug('dropped: below INFO');
    m.info('');
    m.add(MessageLevel.INFO, undefined as never);
    m.info('kept 1');
    m.error('kept 2', 'important');
    expect(await m.peek()).toEqual([
      { level: 20, message: 'kept 1', tags: 'info' },
      { level: 40, message: 'kept 2', tags: 'important error' },
    ]);
  });

  it('shares level and messages between two views of one request', async () => {
    const req: AjaxRequest = { method: 'POST', headers: {}, session: {} };
    const a = messagesFor(req);
    const b = messagesFor(req);
    a.setLevel(MessageLevel.DEBUG);
    expect(b.getLevel()).toBe(10);
    b.debug('seen by a');
    expect((await a.consume()).map((m) => m.message)).toEqual(['seen by a']);
    expect(await b.peek()).toEqual([]);
    a.setLevel(null);
    expect(b.getLevel()).toBe(20);
  });

  it('takes its default level from the options', () => {
    expect(messagesFor({ method: 'GET', headers: {}, session: {} }, { messages: { level: 30 } }).getLevel()).toBe(30);
  });

  it('rejects a level or extra tags of the wrong type with a TypeError that says what it takes', () => {
    const m = messagesFor({ method: 'GET', headers: {}, session: {} });
    expect(() => m.add('info' as never, 'x')).toThrow(/level must be a whole number such as MessageLevel.INFO \(20\); got "info"/);
    expect(() => m.info('x', 3 as never)).toThrow(/extraTags must be a string/);
    expect(() => m.setLevel(-5)).toThrow(/setLevel\(level\): level must be a whole number ≥ 0/);
  });

  it("@Messages()'s value: a request of no app set up by the module, or no request at all (a GraphQL or RPC context), is refused with the module's error", () => {
    for (const req of [{ method: 'GET', headers: {} }, undefined, null]) {
      expect(() => messagesOfRequest(req as never)).toThrow(AjaxConfigurationError);
      expect(() => messagesOfRequest(req as never)).toThrow(/@Messages\(\) was handed a request of an HTTP app that AjaxModule\.forRoot\(\) did not set up/);
    }
  });
});
