import { EchoMessagesController } from '../fixtures/echo-messages.controller.js';
import { PLATFORMS, startTestApp, type TestApp } from '../fixtures/test-app.js';

type Visitor = ReturnType<TestApp['agent']>;

/** What the test expects of one session: the messages left pending on it. */
interface Session {
  visitor: Visitor;
  pending: string[];
}

const info = (message: string) => ({ message, tags: 'info' });

describe.each(PLATFORMS)('on %s', (platform) => {
  describe('messages under load: nothing lost, nothing delivered twice, nothing crosses sessions', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ platform, controllers: [EchoMessagesController] });
    });
    afterAll(() => t.close());

    /**
     * One request of a session: either leaves its messages pending (its body
     * cannot carry them) or delivers them with everything the session carried.
     * Returns the messages it saw delivered.
     */
    async function step(session: Session, id: string, carry: boolean): Promise<string[]> {
      const own = [`${id}-a`, `${id}-b`];
      if (carry) {
        const res = await session.visitor.get(`/echo/keep?add=${own.join(',')}`);
        expect(res.body).toEqual(own);
        session.pending.push(...own);
        return [];
      }
      const res = await session.visitor.get(`/echo?add=${own.join(',')}`);
      const expected = [...session.pending, ...own];
      expect(res.body).toEqual({ added: own, messages: expected.map(info) });
      session.pending = [];
      return expected;
    }

    it('1,000 requests at a concurrency of 50, from 100 sessions', async () => {
      const sessions: Session[] = Array.from({ length: 100 }, () => ({ visitor: t.agent(), pending: [] }));
      const added: string[] = [];
      const delivered: string[] = [];
      // 50 workers, each with two sessions of its own: a session's requests follow each other,
      // while 50 requests of different sessions are always in flight together.
      await Promise.all(
        Array.from({ length: 50 }, async (_, worker) => {
          for (let n = 0; n < 20; n++) {
            const session = sessions[worker * 2 + (n % 2)];
            const id = `w${worker}-r${n}`;
            added.push(`${id}-a`, `${id}-b`);
            // A pseudo-random but reproducible mix of carrying and delivering requests.
            delivered.push(...(await step(session, id, (worker * 7 + n * 13) % 3 === 0)));
          }
        }),
      );
      // Whatever is still pending is delivered by one last JSON request per session.
      for (const session of sessions) delivered.push(...(await step(session, `flush-${sessions.indexOf(session)}`, false)));
      const flushed = sessions.map((_, i) => [`flush-${i}-a`, `flush-${i}-b`]).flat();
      expect(new Set(delivered).size).toBe(delivered.length);
      expect([...delivered].sort()).toEqual([...added, ...flushed].sort());
      expect(added).toHaveLength(2000);
    }, 60_000);

    it('200 requests of one session, one after another', async () => {
      const session: Session = { visitor: t.agent(), pending: [] };
      const delivered: string[] = [];
      for (let n = 0; n < 200; n++) delivered.push(...(await step(session, `s${n}`, n % 4 !== 3)));
      delivered.push(...(await step(session, 'last', false)));
      expect(delivered).toEqual([...Array.from({ length: 200 }, (_, n) => [`s${n}-a`, `s${n}-b`]).flat(), 'last-a', 'last-b']);
    }, 60_000);
  });
});
