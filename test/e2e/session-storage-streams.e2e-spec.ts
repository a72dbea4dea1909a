import { EchoMessagesController } from '../fixtures/echo-messages.controller.js';
import { firstEventStaying, MessagesEventsController } from '../fixtures/event-streams.js';
import { cookieOf } from '../fixtures/redis-instance.js';
import { PLATFORMS, startTestApp, type TestApp } from '../fixtures/test-app.js';

/**
 * What the README says of the default storage and an open event stream: it
 * is one of the visitor's requests running at the same time, for as long as
 * it is open, so what it took stays in the saved session until it ends and
 * the visitor's other requests meanwhile deliver it again (recorded, as the
 * storage cannot do otherwise: the session is saved whole at the end of a
 * response). `RedisMessageStorage` delivers it once (test/redis/claim-settlement.e2e-spec.ts).
 */
describe.each(PLATFORMS)('on %s, the session storage and an open event stream', (platform) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ platform, controllers: [EchoMessagesController, MessagesEventsController] });
  });
  afterAll(() => t.close());

  it('leaves what the stream took in the saved session while it is open: another request delivers it again', async () => {
    const kept = await t.http().get('/echo/keep?add=streamed');
    expect(kept.body).toEqual(['streamed']);
    const cookie = cookieOf(kept);
    const { event, leave } = await firstEventStaying(`${t.url}/events`, cookie);
    try {
      expect(event).toContain('streamed');
      expect((await t.http().get('/echo').set('Cookie', cookie)).body).toEqual({ added: [], messages: [{ message: 'streamed', tags: 'info' }] });
    } finally {
      leave();
    }
  });
});
