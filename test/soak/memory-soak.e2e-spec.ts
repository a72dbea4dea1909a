import { Agent, request as httpRequest } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { EchoMessagesController } from '../fixtures/echo-messages.controller.js';
import { ErrorsController } from '../fixtures/errors.controller.js';
import { startTestApp, type TestApp } from '../fixtures/test-app.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const REQUESTS = Number(process.env.SOAK_REQUESTS ?? 50_000);
const CONCURRENCY = 50;
/** Growth of the heap after GC allowed over the run: a leak of one closure per request would be far above. */
const HEAP_BOUND_BYTES = 4 * 1024 * 1024;
/** Resets of a reused socket tolerated over the run: a rare race of the client's, never a pattern of the server's. */
const MAX_RESENT = 5;

/** Each worker's request mix: messages carried and delivered, a 500, a 404, a 405. */
const PATHS = ['/echo/keep?add=kept', '/echo?add=now', '/errors/bug', '/no/such/route', '/errors/not-found', '/echo'];

function settledHeap(): number {
  for (let i = 0; i < 4; i++) gc();
  return process.memoryUsage().heapUsed;
}

describe('a long run through the full stack', () => {
  let t: TestApp;
  let agent: Agent;
  /** Requests sent again after a reset of their reused socket (see `get()`). */
  let resent = 0;
  beforeAll(async () => {
    t = await startTestApp({ ajax: { global: true }, controllers: [EchoMessagesController, ErrorsController] });
    // Longer than any pause of the run, so that the server never closes a socket as idle while the client may reuse it.
    (t.app.getHttpServer() as { keepAliveTimeout: number }).keepAliveTimeout = 60_000;
    agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  });
  afterAll(async () => {
    agent.destroy();
    await t.close();
  });

  /**
   * One request on a kept-alive socket; returns status and the session cookie it set, if any. A reused socket reset
   * before any answer (ECONNRESET) is sent again once, on another socket, as Node's documentation of `reusedSocket`
   * advises for a server closing an idle socket just as it is reused; the resends are counted, and the run fails if
   * there are more than a few, which would be the server's doing.
   */
  function get(path: string, cookie: string | undefined, resend = true): Promise<{ status: number; cookie?: string }> {
    return new Promise((resolve, reject) => {
      const url = new URL(path, t.url);
      const req = httpRequest(url, { agent, headers: cookie ? { cookie } : {} }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, cookie: res.headers['set-cookie']?.[0]?.split(';')[0] }));
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (!(resend && req.reusedSocket && error.code === 'ECONNRESET')) return reject(error);
        resent += 1;
        get(path, cookie, false).then(resolve, reject);
      });
      req.end();
    });
  }

  /** `count` requests from CONCURRENCY visitors, each with its own session, cycling through PATHS. */
  async function run(count: number, cookies: Array<string | undefined>): Promise<Map<number, number>> {
    const statuses = new Map<number, number>();
    let next = 0;
    await Promise.all(
      cookies.map(async (_, worker) => {
        while (next < count) {
          const n = next++;
          const { status, cookie } = await get(PATHS[n % PATHS.length], cookies[worker]);
          cookies[worker] ??= cookie;
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }
      }),
    );
    return statuses;
  }

  it(`keeps the heap flat over ${REQUESTS.toLocaleString('en')} requests with messages and errors`, async () => {
    const cookies: Array<string | undefined> = Array.from({ length: CONCURRENCY }, () => undefined);
    await run(5_000, cookies); // warm-up: JIT, sessions, caches
    const before = settledHeap();
    const started = Date.now();
    const statuses = await run(REQUESTS, cookies);
    const seconds = (Date.now() - started) / 1000;
    const after = settledHeap();
    const growth = after - before;
    console.log(
      `soak: ${REQUESTS} requests in ${seconds.toFixed(1)} s; heap after GC ${(before / 2 ** 20).toFixed(1)} MiB → ` +
        `${(after / 2 ** 20).toFixed(1)} MiB (${growth >= 0 ? '+' : ''}${(growth / 2 ** 10).toFixed(0)} KiB); statuses ${JSON.stringify(Object.fromEntries(statuses))}; ${resent} sent again after a reset`,
    );
    expect(Object.fromEntries(statuses)).toEqual({ 200: expect.any(Number), 500: expect.any(Number), 404: expect.any(Number) });
    expect([...statuses.values()].reduce((a, b) => a + b)).toBe(REQUESTS);
    expect(cookies.every(Boolean)).toBe(true);
    expect(growth).toBeLessThan(HEAP_BOUND_BYTES);
    expect(resent).toBeLessThanOrEqual(MAX_RESENT);
  }, 300_000);
});
