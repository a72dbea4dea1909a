import { SessionController } from '../fixtures/session.controller.js';
import { PollsController } from '../fixtures/polls.controller.js';
import { PLATFORMS, startTestApp, type TestApp } from '../fixtures/test-app.js';

describe.each(PLATFORMS)('on %s', (platform) => {
  describe('a message added before a redirect', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ platform, controllers: [SessionController, PollsController] });
    });
    afterAll(() => t.close());

    it('is delivered once, by the next JSON response of the same session', async () => {
      const visitor = t.agent();
      const login = await visitor.post('/session/login');
      expect(login.status).toBe(302);
      expect(login.headers.location).toBe('/after-login');

      const first = await visitor.get('/polls');
      expect(first.status).toBe(200);
      expect(first.body).toEqual({
        polls: [
          { choice: 'red', votes: 0 },
          { choice: 'blue', votes: 0 },
        ],
        messages: [{ message: 'Welcome back, ada.', tags: 'success' }],
      });

      const second = await visitor.get('/polls');
      expect(second.body).not.toHaveProperty('messages');
    });

    it('is not delivered to another visitor', async () => {
      await t.agent().post('/session/login');
      const other = await t.agent().get('/polls');
      expect(other.body).not.toHaveProperty('messages');
    });

    it('rides along with the JSON body of a vote, after which messages of the vote follow', async () => {
      const visitor = t.agent();
      await visitor.post('/session/login');
      const vote = await visitor.post('/polls/vote').send({ choice: 'red' });
      expect(vote.status).toBe(200); // @All() answers 200 to any method
      expect(vote.body).toEqual({
        choice: 'red',
        votes: expect.any(Number),
        success: true,
        messages: [
          { message: 'Welcome back, ada.', tags: 'success' },
          { message: 'Vote recorded.', tags: 'success' },
        ],
      });
    });
  });
});
