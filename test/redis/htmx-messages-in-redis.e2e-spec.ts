import { RedisStore } from 'connect-redis';
import { createClient } from 'redis';
import type { Response } from 'supertest';
import { RedisMessageStorage } from '../../lib/index.js';
import { captureLogs } from '../fixtures/capture-logs.js';
import { FRAGMENT, HtmxAjaxController } from '../fixtures/htmx-fixtures.js';
import { type RedisServer, redisTestsRun, startRedisServer } from '../fixtures/redis-server.js';
import { PLATFORMS, startTestApp, type TestApp } from '../fixtures/test-app.js';
import { messageKeysLeft } from '../fixtures/message-keys.js';

/**
 * htmx answers with RedisMessageStorage: the messages go in HX-Trigger once
 * Redis has them (a message added by the same request included); those that
 * do not fit keep their places in the visitor's set, before any added since;
 * and a Redis that does not answer delays the fragment by the time-out at
 * most, never fails it.
 */

const HTMX = { 'HX-Request': 'true' };
const info = (message: string) => ({ message, tags: 'info' });

function triggered(res: Response): { messages: unknown[] } | undefined {
  const header = res.headers['hx-trigger'] as string | undefined;
  return header === undefined ? undefined : JSON.parse(header);
}

/** A node-redis client as the README sets one up: no offline queue, so nothing waits for a Redis that is gone. */
async function connect(url: string) {
  const client = createClient({ url, disableOfflineQueue: true, socket: { reconnectStrategy: () => 100 } });
  // node-redis emits 'error' while it reconnects; without a listener the process would crash.
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

type Client = Awaited<ReturnType<typeof connect>>;

describe.each(PLATFORMS)('on %s', (platform) => {
  (redisTestsRun() ? describe : describe.skip)('htmx answers with RedisMessageStorage', () => {
    let redis: RedisServer;
    let client: Client;
    let t: TestApp;
    let hangingClient: Client;
    let hanging: TestApp;
    const errors = captureLogs('error');
    beforeAll(async () => {
      redis = await startRedisServer();
      client = await connect(redis.url);
      t = await startTestApp({
        platform,
        ajax: { messages: { storage: new RedisMessageStorage(client, { timeoutMs: 500 }) } },
        sessionStore: new RedisStore({ client, prefix: 'test-sess:' }),
        controllers: [HtmxAjaxController],
      });
      // Sessions in memory: what hangs is the message storage alone.
      hangingClient = await connect(redis.url);
      hanging = await startTestApp({
        platform,
        ajax: { messages: { storage: new RedisMessageStorage(hangingClient, { timeoutMs: 300 }) } },
        controllers: [HtmxAjaxController],
      });
    });
    afterAll(async () => {
      await t?.close();
      await hanging?.close();
      client?.destroy();
      hangingClient?.destroy();
      await redis?.dispose();
    });

    it('a fragment carries the messages its own request added, once Redis has them, and leaves no set behind', async () => {
      const visitor = t.agent();
      const res = await visitor.get('/htmx/fragment').query({ add: ['One.', 'Two.'] }).set(HTMX);
      expect(res.text).toBe(FRAGMENT);
      expect(triggered(res)).toEqual({ messages: [info('One.'), info('Two.')] });
      expect(res.headers['cache-control']).toBe('private, no-store');
      expect(await messageKeysLeft(client)).toEqual([]);
      expect((await visitor.get('/htmx/json')).body).toEqual({ ok: true });
    });

    it('those that do not fit keep their places, before a message added since', async () => {
      const visitor = t.agent();
      const texts = Array.from({ length: 20 }, (_, i) => `Message ${String(i + 1).padStart(2, '0')}: ${'x'.repeat(140)}`);
      await visitor.get('/htmx/fragment').query({ add: texts });

      const first = await visitor.get('/htmx/fragment').query({ add: 'Newer.' }).set(HTMX);
      const firstPart = triggered(first)?.messages ?? [];
      expect(firstPart.length).toBeGreaterThan(5);
      expect(firstPart.length).toBeLessThan(20);
      expect(Buffer.byteLength(first.headers['hx-trigger'] as string)).toBeLessThanOrEqual(2048);

      const second = await visitor.get('/htmx/fragment').set(HTMX);
      expect([...firstPart, ...(triggered(second)?.messages ?? [])]).toEqual([...texts, 'Newer.'].map(info));
      expect(await messageKeysLeft(client)).toEqual([]);
    });

    it('a Redis that does not answer delays the fragment by the time-out, without the header; the messages come later', async () => {
      const visitor = hanging.agent();
      await visitor.get('/htmx/fragment').query({ add: 'Kept.' });
      redis.pause();
      let res: Response;
      try {
        res = await visitor.get('/htmx/fragment').set(HTMX);
      } finally {
        redis.resume();
      }
      expect(res.status).toBe(200);
      expect(res.text).toBe(FRAGMENT);
      expect(res.headers['hx-trigger']).toBeUndefined();
      expect(errors.join('\n')).toContain('Pending messages could not be read for an htmx answer');

      await hangingClient.ping();
      const later = await visitor.get('/htmx/fragment').set(HTMX);
      expect(triggered(later)).toEqual({ messages: [info('Kept.')] });
    });
  });
});
