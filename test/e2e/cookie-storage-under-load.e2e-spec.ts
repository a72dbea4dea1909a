import request from 'supertest';
import { messagesCookie, startCookieApp } from '../fixtures/cookie-app.js';
import { EchoMessagesController } from '../fixtures/echo-messages.controller.js';
import { FlashController } from '../fixtures/flash.controller.js';
import { type LoadTally, oneVisitorLoad } from '../fixtures/one-visitor-load.js';
import { PLATFORMS, type TestApp } from '../fixtures/test-app.js';

const REQUESTS = 1_000;

/**
 * One visitor's load (`oneVisitorLoad()`), `concurrency` at a time, with a
 * browser's cookie jar: each request sends the cookie as it is when the
 * request starts, and the latest `Set-Cookie` to arrive replaces it (an
 * expiring one removes it).
 */
async function run(app: TestApp, concurrency: number): Promise<LoadTally> {
  let jar: string | undefined;
  const keep = <T extends { headers: Record<string, unknown> }>(res: T): T => {
    const set = messagesCookie(res);
    if (set) jar = set.expires ? undefined : set.header;
    return res;
  };
  return oneVisitorLoad(
    {
      redirect: async (_, id) => keep(await request(app.url).post(`/flash/redirect?add=${id}`).set('Cookie', jar ?? '')),
      json: async (_, id) => keep(await request(app.url).get(id ? `/echo?add=${id}` : '/echo').set('Cookie', jar ?? '')),
    },
    { requests: REQUESTS, concurrency },
  );
}

describe.each(PLATFORMS)('on %s', (platform) => {
  describe(`CookieMessageStorage, one visitor, ${REQUESTS} requests`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startCookieApp({ platform, controllers: [FlashController, EchoMessagesController] });
    });
    afterAll(() => t.close());

    it('one at a time, delivers every message exactly once', async () => {
      const tally = await run(t, 1);
      expect(tally).toEqual({ added: REQUESTS, delivered: REQUESTS, duplicates: 0, lost: 0 });
    }, 60_000);

    it('records what it loses and duplicates 50 at a time (each request reads the cookie as the browser sent it)', async () => {
      const tally = await run(t, 50);
      console.log(`CookieMessageStorage on ${platform}, ${REQUESTS} requests 50 at a time: ${JSON.stringify(tally)}`);
      // Not an expectation of the storage, which cannot keep one under concurrency: the figure is recorded.
      expect(tally.added).toBe(REQUESTS);
      expect(tally.delivered + tally.lost).toBe(REQUESTS);
    }, 60_000);
  });
});
