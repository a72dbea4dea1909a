import type { AjaxRequest } from '../../lib/ajax-request.interface.js';
import { MessageLevel } from '../../lib/messages/message-level.js';
import { RedisMessageStorage } from '../../lib/messages/redis/redis-message-storage.js';
import { CLAIM_PICKED } from '../../lib/messages/redis/redis-scripts.js';
import { connectRedisClient, type RedisClient } from '../fixtures/redis-instance.js';
import { type RedisServer, redisTestsRun, startRedisServer } from '../fixtures/redis-server.js';

/**
 * `takeMatching()` reads the pending set, lets its caller pick, then claims
 * what was picked. Older messages may come back between the read and the
 * claim: a claim left behind (a take whose response never went out) turning
 * stale, which the claim's script merges back first, or another request's
 * read merges back, or a take another request puts back. The picking never
 * saw them: the take must not deliver the newer ones ahead of them. It takes
 * nothing that time, and the visitor's next take has them all, in order.
 */

const KEY_PREFIX = 'order-test:';
const SESSION = 'visitor-order';
const PENDING = `${KEY_PREFIX}{${SESSION}}`;
const CLAIMS = `${PENDING}:claims`;

/** A request of a visitor with a session, as express-session gives it (no response: no claim is settled). */
const visitor = (): AjaxRequest => ({ method: 'GET', headers: {}, sessionID: SESSION }) as AjaxRequest;

/** A member as the storage writes one, for a message added at `score`. */
function member(text: string, score: number): string {
  const json = JSON.stringify({ at: score, p: 'elsewhere', level: MessageLevel.INFO, message: text, tags: 'info' });
  return `${Buffer.byteLength(text)}:${json}`;
}

(redisTestsRun() ? describe : describe.skip)('RedisMessageStorage.takeMatching() and a claim that turns stale meanwhile', () => {
  let server: RedisServer;
  let client: RedisClient;

  beforeAll(async () => {
    server = await startRedisServer();
    client = await connectRedisClient(server.url);
  });
  afterAll(async () => {
    await client?.quit();
    await server?.dispose();
  });
  beforeEach(async () => {
    await client.del([PENDING, CLAIMS]);
  });

  /** How older messages come back between a pick's read and its claim. */
  type Return = 'a claim left behind, merged back by the claim' | 'a take put back, or merged back by another request';

  /**
   * A storage whose client, as the first claim of picked members goes out,
   * has `older` come back: as a claim taken ten minutes ago, stale, that the
   * claim's own script merges back; or straight into the pending set, as
   * another request's read merging a stale claim, or a take another request
   * put back, would leave them.
   */
  function storageWithOlderComingBack(older: string[], how: Return = 'a claim left behind, merged back by the claim'): RedisMessageStorage {
    let injected = false;
    const wrapped = {
      get isReady() {
        return client.isReady;
      },
      async eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown> {
        if (!injected && script === CLAIM_PICKED) {
          injected = true;
          if (how === 'a claim left behind, merged back by the claim') {
            const list = older.flatMap((text, i) => [member(text, i + 1), String(i + 1)]);
            await client.hSet(CLAIMS, 'lost-take', `${Date.now() - 600_000}:${JSON.stringify(list)}`);
          } else {
            await client.zAdd(PENDING, older.map((text, i) => ({ score: i + 1, value: member(text, i + 1) })));
          }
        }
        return client.eval(script, options);
      },
    };
    return new RedisMessageStorage(wrapped, { keyPrefix: KEY_PREFIX, reclaimAfterMs: 60_000 });
  }

  it.each<Return>(['a claim left behind, merged back by the claim', 'a take put back, or merged back by another request'])('%s: takes nothing then, and the next take delivers the older messages before the newer one', async (how) => {
    const storage = storageWithOlderComingBack(['older 1', 'older 2'], how);
    const req = visitor();
    await storage.add(req, { level: MessageLevel.INFO, message: 'newer', tags: 'info' });

    expect(await storage.takeMatching(req, () => true)).toEqual([]);

    expect((await storage.peek(visitor())).map((m) => m.message)).toEqual(['older 1', 'older 2', 'newer']);
    expect((await storage.takeMatching(visitor(), () => true)).map((m) => m.message)).toEqual(['older 1', 'older 2', 'newer']);
    expect(await storage.peek(visitor())).toEqual([]);
  });

  it('asks the picker once per message it read, and a pick then keeps the order and leaves the rest', async () => {
    const storage = storageWithOlderComingBack(['older, not picked', 'older, picked']);
    const req = visitor();
    await storage.add(req, { level: MessageLevel.INFO, message: 'newer, picked', tags: 'info' });
    const asked: string[] = [];

    const first = await storage.takeMatching(req, (m) => (asked.push(m.message), m.message.endsWith(', picked')));

    expect(first).toEqual([]);
    expect(asked).toEqual(['newer, picked']);
    const next = await storage.takeMatching(visitor(), (m) => m.message.endsWith(', picked'));
    expect(next.map((m) => m.message)).toEqual(['older, picked', 'newer, picked']);
    expect((await storage.peek(visitor())).map((m) => m.message)).toEqual(['older, not picked']);
  });

  it('a member it cannot read does not keep a pick from taking', async () => {
    const storage = new RedisMessageStorage(client, { keyPrefix: KEY_PREFIX });
    await client.zAdd(PENDING, { score: 1, value: 'not written by the module' });
    const req = visitor();
    await storage.add(req, { level: MessageLevel.INFO, message: 'mine', tags: 'info' });

    expect((await storage.takeMatching(req, () => true)).map((m) => m.message)).toEqual(['mine']);
  });

  it('takes what it picked when no claim came back meanwhile', async () => {
    const storage = new RedisMessageStorage(client, { keyPrefix: KEY_PREFIX });
    const req = visitor();
    await storage.add(req, { level: MessageLevel.INFO, message: 'one', tags: 'info' });
    await storage.add(req, { level: MessageLevel.WARNING, message: 'two', tags: 'warning' });

    const taken = await storage.takeMatching(req, (m) => m.level === MessageLevel.WARNING);

    expect(taken.map((m) => m.message)).toEqual(['two']);
    expect((await storage.peek(visitor())).map((m) => m.message)).toEqual(['one']);
  });
});
