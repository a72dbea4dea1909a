import type { AjaxRequest } from '../../lib/ajax-request.interface.js';
import type { AjaxMessage } from '../../lib/messages/ajax-message.interface.js';
import { type AddedMessage, addedThrough, carryMessages } from '../../lib/messages/carry-messages.js';
import type { MessageStorage, PreviousSession } from '../../lib/messages/message-storage.interface.js';
import { SessionMessageStorage } from '../../lib/messages/session-message-storage.js';

const welcome: AjaxMessage = { level: 25, message: 'Welcome back.', tags: 'success' };
const earlier: AjaxMessage = { level: 20, message: 'Saved.', tags: 'info' };

describe('carryMessages()', () => {
  it('tells each storage of its own messages only: two apps in one process share a session class, and so its storages', () => {
    // Two apps' default storages, on the same session key, both carried by the one regenerate wrapper.
    const first = new SessionMessageStorage();
    const second = new SessionMessageStorage();
    const added: AddedMessage[] = [{ storage: first, message: welcome }];
    const req: AjaxRequest = { method: 'POST', headers: {}, session: {} };
    const previous: PreviousSession = { sessionID: 'old', session: { _messages: [earlier, welcome] } };
    carryMessages([first, second], req, previous, (storage, message) => addedThrough(added, storage, message));
    expect(req.session).toEqual({ _messages: [welcome] });
  });

  it('hands every storage the previous session, with addedByRequest() for that storage', () => {
    const seen: Array<[string | undefined, boolean, boolean]> = [];
    const recording = (name: string): MessageStorage => ({
      add: () => undefined,
      peek: () => [],
      take: () => [],
      regenerated: (_req, previous) => void seen.push([previous.sessionID, previous.addedByRequest?.(welcome) === true, name === 'a']),
    });
    const a = recording('a');
    const b = recording('b');
    carryMessages([a, b], { method: 'GET', headers: {} }, { sessionID: 'old' }, (storage) => storage === a);
    expect(seen).toEqual([
      ['old', true, true],
      ['old', false, false],
    ]);
  });
});
