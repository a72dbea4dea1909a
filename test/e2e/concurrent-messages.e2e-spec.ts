import { EchoMessagesController } from '../fixtures/echo-messages.controller.js';
import { PLATFORMS, startTestApp, type TestApp } from '../fixtures/test-app.js';

describe.each(PLATFORMS)('on %s', (platform) => {
  describe('200 concurrent requests', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ platform, controllers: [EchoMessagesController] });
    });
    afterAll(() => t.close());

    it('each get exactly their own messages, from 200 sessions at once', async () => {
      const visitors = Array.from({ length: 200 }, (_, i) => ({ i, agent: t.agent() }));
      // First, each visitor leaves a message pending on a body that cannot carry it…
      const kept = await Promise.all(visitors.map(({ i, agent }) => agent.get(`/echo/keep?add=carried-${i}`)));
      kept.forEach((res, i) => expect(res.body).toEqual([`carried-${i}`]));
      // …then 200 JSON requests run together, each adding two messages of its own.
      const responses = await Promise.all(visitors.map(({ i, agent }) => agent.get(`/echo?add=own-${i}-a,own-${i}-b`)));
      responses.forEach((res, i) => {
        expect(res.status).toBe(200);
        expect(res.body).toEqual({
          added: [`own-${i}-a`, `own-${i}-b`],
          messages: [
            { message: `carried-${i}`, tags: 'info' },
            { message: `own-${i}-a`, tags: 'info' },
            { message: `own-${i}-b`, tags: 'info' },
          ],
        });
      });
      // Nothing is left to deliver twice.
      const after = await Promise.all(visitors.map(({ agent }) => agent.get('/echo')));
      after.forEach((res) => expect(res.body).toEqual({ added: [] }));
    });

    it('without cookies, each request carries only what it added', async () => {
      const responses = await Promise.all(Array.from({ length: 200 }, (_, i) => t.http().get(`/echo?add=solo-${i}`)));
      responses.forEach((res, i) => {
        expect(res.body).toEqual({ added: [`solo-${i}`], messages: [{ message: `solo-${i}`, tags: 'info' }] });
      });
    });
  });
});
