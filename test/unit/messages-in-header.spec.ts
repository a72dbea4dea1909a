import type { AjaxRequest } from '../../lib/ajax-request.interface.js';
import type { AjaxMessage } from '../../lib/messages/ajax-message.interface.js';
import { putMessagesInHeader } from '../../lib/messages/htmx/messages-in-header.js';
import type { MessageStorage } from '../../lib/messages/message-storage.interface.js';
import { SessionMessageStorage } from '../../lib/messages/session-message-storage.js';
import { resolveAjaxOptions } from '../../lib/options/resolve-ajax-options.js';
import { expressPlatform } from '../../lib/platform/express/express-platform.js';

const message = (text: string): AjaxMessage => ({ level: 20, message: text, tags: 'info' });
/** Eleven of them fill the header's 2,048 bytes. */
const texts = Array.from({ length: 15 }, (_, i) => `${String(i).padStart(2, '0')} ${'x'.repeat(150)}`);

/** A response as the Express platform reads and writes its headers. */
function response(): {
  headers: Map<string, string>;
  getHeader(name: string): unknown;
  getHeaderNames(): string[];
  setHeader(name: string, value: string): void;
  removeHeader(name: string): void;
} {
  const headers = new Map<string, string>();
  return {
    headers,
    getHeader: (name) => headers.get(name.toLowerCase()),
    getHeaderNames: () => [...headers.keys()],
    setHeader: (name, value) => void headers.set(name.toLowerCase(), value),
    removeHeader: (name) => void headers.delete(name.toLowerCase()),
  };
}

/** A storage of the app's own, without `takeMatching()`: an async list per request. */
class ListStorage implements MessageStorage {
  readonly lists = new WeakMap<AjaxRequest, AjaxMessage[]>();
  async add(req: AjaxRequest, added: AjaxMessage): Promise<void> {
    this.lists.set(req, [...(this.lists.get(req) ?? []), added]);
  }
  async peek(req: AjaxRequest): Promise<readonly AjaxMessage[]> {
    return this.lists.get(req) ?? [];
  }
  async take(req: AjaxRequest): Promise<readonly AjaxMessage[]> {
    const taken = this.lists.get(req) ?? [];
    this.lists.delete(req);
    return taken;
  }
}

const delivered = (res: ReturnType<typeof response>): string[] =>
  (JSON.parse(res.headers.get('hx-trigger') ?? '{"messages":[]}') as { messages: Array<{ message: string }> }).messages.map((m) => m.message);

describe('messages put in HX-Trigger', () => {
  it('with the session storage, takes those that fit and leaves the rest first in the session', () => {
    const storage = new SessionMessageStorage();
    const options = resolveAjaxOptions({ messages: { storage } });
    const req: AjaxRequest = { method: 'GET', headers: {}, session: { _messages: texts.map(message) } };
    const res = response();
    expect(putMessagesInHeader(expressPlatform, req, res, options)).toBeUndefined();
    const first = delivered(res);
    expect(first.length).toBeGreaterThan(5);
    expect(first.length).toBeLessThan(texts.length);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(storage.peek(req).map((m) => m.message)).toEqual(texts.slice(first.length));
  });

  it("with a storage of the app's own, takes them all and adds back those that do not fit, in order", async () => {
    const storage = new ListStorage();
    const options = resolveAjaxOptions({ messages: { storage } });
    const req: AjaxRequest = { method: 'GET', headers: {} };
    for (const text of texts) await storage.add(req, message(text));
    const res = response();
    await putMessagesInHeader(expressPlatform, req, res, options);
    const first = delivered(res);
    expect(first).toEqual(texts.slice(0, first.length));
    expect((await storage.peek(req)).map((m) => m.message)).toEqual(texts.slice(first.length));

    const next = response();
    await putMessagesInHeader(expressPlatform, req, next, options);
    expect([...first, ...delivered(next)]).toEqual(texts);
  });

  it("takes nothing when the app's header has a messages event of its own", () => {
    const storage = new SessionMessageStorage();
    const options = resolveAjaxOptions({ messages: { storage } });
    const req: AjaxRequest = { method: 'GET', headers: {}, session: { _messages: [message('Kept.')] } };
    const res = response();
    res.setHeader('HX-Trigger', '{"messages":"mine"}');
    putMessagesInHeader(expressPlatform, req, res, options);
    expect(res.headers.get('hx-trigger')).toBe('{"messages":"mine"}');
    expect(storage.peek(req)).toEqual([message('Kept.')]);
  });
});
