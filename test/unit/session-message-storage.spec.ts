import { jest } from '@jest/globals';
import { EventEmitter } from 'node:events';
import { Logger } from '@nestjs/common';
import type { AjaxRequest } from '../../lib/ajax-request.interface.js';
import type { AjaxMessage } from '../../lib/messages/ajax-message.interface.js';
import { SessionMessageStorage } from '../../lib/messages/session-message-storage.js';

const hello: AjaxMessage = { level: 20, message: 'hello', tags: 'info' };
const bye: AjaxMessage = { level: 40, message: 'bye', tags: 'error' };

function requestWithSession(session: Record<string, unknown> = {}): AjaxRequest {
  return { method: 'GET', headers: {}, session };
}

function requestWithoutSession(): AjaxRequest & { res: EventEmitter & AjaxRequest['res'] } {
  const res = Object.assign(new EventEmitter(), { statusCode: 200, headersSent: false, setHeader: () => undefined });
  return { method: 'GET', res } as never;
}

describe('SessionMessageStorage', () => {
  const storage = new SessionMessageStorage('_messages');
  afterEach(() => jest.restoreAllMocks());

  it('writes messages to the session as they are added, oldest first', () => {
    const req = requestWithSession();
    storage.add(req, hello);
    expect(req.session).toEqual({ _messages: [hello] });
    storage.add(req, bye);
    expect(req.session).toEqual({ _messages: [hello, bye] });
  });

  it('peek leaves them; take removes them from the session', () => {
    const req = requestWithSession({ _messages: [hello], other: 1 });
    expect(storage.peek(req)).toEqual([hello]);
    expect(req.session).toEqual({ _messages: [hello], other: 1 });
    expect(storage.take(req)).toEqual([hello]);
    expect(JSON.parse(JSON.stringify(req.session))).toEqual({ other: 1 });
    expect(storage.take(req)).toEqual([]);
  });

  it('uses the configured session key', () => {
    const req = requestWithSession();
    new SessionMessageStorage('flash').add(req, hello);
    expect(req.session).toEqual({ flash: [hello] });
  });

  it('ignores what is not a message in the session, and warns when the key holds no list', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    expect(storage.take(requestWithSession({ _messages: [hello, { message: 3 }, null, 'x', bye] }))).toEqual([hello, bye]);
    expect(storage.take(requestWithSession({ _messages: 'garbage' }))).toEqual([]);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('req.session._messages is not a list'));
  });

  it('keeps messages on the request when there is no session, and warns of undelivered ones when the response closes', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const delivered = requestWithoutSession();
    storage.add(delivered, hello);
    expect(storage.take(delivered)).toEqual([hello]);
    delivered.res.emit('close');
    expect(warn).not.toHaveBeenCalledWith(expect.stringContaining('could not be delivered'));

    const lost = requestWithoutSession();
    storage.add(lost, bye);
    lost.res.emit('close');
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('1 message(s) could not be delivered and are lost, as the request has no session: "bye"'));
  });

  it('moves messages added before the session existed into it, as the oldest of this request (Nest middleware runs before the session plugin on Fastify)', () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const early = requestWithoutSession();
    storage.add(early, hello);
    (early as AjaxRequest).session = { _messages: [bye] };
    expect(storage.peek(early)).toEqual([bye, hello]);
    const later: AjaxMessage = { level: 25, message: 'later', tags: 'success' };
    storage.add(early, later);
    expect((early as AjaxRequest).session!._messages).toEqual([bye, hello, later]);
    expect(storage.take(early)).toEqual([bye, hello, later]);
    expect(storage.take(early)).toEqual([]);

    const read = requestWithoutSession();
    storage.add(read, hello);
    (read as AjaxRequest).session = {};
    expect(storage.take(read)).toEqual([hello]);
    expect(storage.take(read)).toEqual([]);
  });

  describe('regenerated()', () => {
    /** A fresh message object each time, as a session read from its store holds. */
    const message = (text: string): AjaxMessage => ({ level: 20, message: text, tags: 'info' });
    /** The request's session replaced by a new one, as a regenerate does; the old one, and what the platform says the request added, as the platform hands them. */
    function regenerate(req: AjaxRequest, added?: readonly AjaxMessage[]): void {
      const old = req.session!;
      req.session = {};
      storage.regenerated(req, { sessionID: 'old-id', session: old, ...(added ? { addedByRequest: (m: AjaxMessage) => added.includes(m) } : {}) });
    }

    it('carries the messages the platform says this request added (the same objects), in order, and leaves the others', () => {
      const earlier = message('earlier request');
      const first = requestWithSession();
      storage.add(first, earlier);
      // A store that keeps live objects: the next request's session holds the same message object.
      const second = requestWithSession({ _messages: first.session!._messages });
      const own = message('this request');
      const more = message('and this one');
      storage.add(second, own);
      storage.add(second, more);
      regenerate(second, [own, more]);
      expect(second.session).toEqual({ _messages: [own, more] });
      // A message equal to one of the request's, but another object, is not the request's.
      const third = requestWithSession({ _messages: [message('this request')] });
      regenerate(third, [own]);
      expect(third.session).toEqual({});
    });

    it('puts the carried messages before those the new session already holds', () => {
      const req = requestWithSession();
      const own = message('Welcome');
      storage.add(req, own);
      const old = req.session!;
      const already = message('already in the new session');
      req.session = { _messages: [already] };
      storage.regenerated(req, { sessionID: 'old-id', session: old, addedByRequest: (m) => m === own });
      expect(req.session).toEqual({ _messages: [own, already] });
    });

    it('carries nothing where nothing tells which messages the request added', () => {
      const req = requestWithSession();
      storage.add(req, message('Welcome'));
      regenerate(req);
      expect(req.session).toEqual({});
    });

    it('carries the messages added before the session existed, which joined it with this request', () => {
      jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      const req = requestWithoutSession();
      const early = message('from middleware');
      storage.add(req, early);
      (req as AjaxRequest).session = {};
      const welcome = message('Welcome');
      storage.add(req, welcome);
      regenerate(req, [early, welcome]);
      expect((req as AjaxRequest).session).toEqual({ _messages: [early, welcome] });
    });
  });

  describe('takeMatching()', () => {
    const isError = (message: AjaxMessage): boolean => message.level === 40;
    const later: AjaxMessage = { level: 20, message: 'later', tags: 'info' };

    it('takes the matching messages and leaves the others in the session, in order; with none matching it writes nothing', () => {
      const req = requestWithSession({ _messages: [hello, bye, later] });
      expect(storage.takeMatching(req, isError)).toEqual([bye]);
      expect(req.session).toEqual({ _messages: [hello, later] });
      const untouched = req.session!._messages;
      expect(storage.takeMatching(req, isError)).toEqual([]);
      expect(req.session!._messages).toBe(untouched);
      expect(storage.takeMatching(req, () => true)).toEqual([hello, later]);
      expect(JSON.parse(JSON.stringify(req.session))).toEqual({});
    });

    it('writes what is left through set() for a session that saves only what it is given (@fastify/secure-session)', () => {
      const data = new Map<string, unknown>([['_messages', [hello, bye]]]);
      const req: AjaxRequest = { method: 'GET', headers: {}, session: { get: (key: string) => data.get(key), set: (key: string, value: unknown) => data.set(key, value) } };
      expect(storage.takeMatching(req, isError)).toEqual([bye]);
      expect(data.get('_messages')).toEqual([hello]);
    });

    it('without a session, takes from the request\'s own messages; those added before the session existed join it, after the older', () => {
      jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      const bare = requestWithoutSession();
      storage.add(bare, hello);
      storage.add(bare, bye);
      expect(storage.takeMatching(bare, isError)).toEqual([bye]);
      expect(storage.take(bare)).toEqual([hello]);

      const early = requestWithoutSession();
      storage.add(early, later);
      storage.add(early, bye);
      (early as AjaxRequest).session = { _messages: [hello] };
      expect(storage.takeMatching(early, isError)).toEqual([bye]);
      expect((early as AjaxRequest).session!._messages).toEqual([hello, later]);
      expect(storage.take(early)).toEqual([hello, later]);
    });
  });
});
