import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

interface NpmResult {
  code: number | string;
  output: string;
  timedOut: boolean;
  retried?: string;
}
interface NpmWithRetry {
  npmWithRetry(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeout: number }): Promise<NpmResult>;
  withoutNpmSettings(): NodeJS.ProcessEnv;
}

/**
 * The consumer matrix's npm runner (test/matrix/npm-with-retry.mjs) against a
 * registry on loopback: an attempt that stalls is run once more; a failure
 * of the package (the registry's 404) is not.
 */
describe("the consumer matrix's npm runner", () => {
  let tools: NpmWithRetry;
  let server: Server;
  let registry: string;
  let requests: string[];
  let answer: 'stall' | 'not found';
  let cache: string;

  beforeAll(async () => {
    // One after the other: jest's module loader fails on two imports of a shared module at once.
    const retry = await import(pathToFileURL(join(import.meta.dirname, 'npm-with-retry.mjs')).href);
    const install = await import(pathToFileURL(join(import.meta.dirname, 'cached-install.mjs')).href);
    tools = { npmWithRetry: retry.npmWithRetry, withoutNpmSettings: install.withoutNpmSettings };
    server = createServer((request, response) => {
      requests.push(request.url ?? '');
      if (answer === 'not found') response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Not found"}');
      // 'stall': never answers, as a registry socket that hangs.
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    const address = server.address();
    registry = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((closed) => server.close(closed));
  });
  beforeEach(() => {
    requests = [];
    cache = mkdtempSync(join(tmpdir(), 'nestjs-ajax-npm-cache-'));
  });
  afterEach(() => rmSync(cache, { recursive: true, force: true }));

  const view = () =>
    tools.npmWithRetry(['view', 'nestjs-ajax-matrix-probe', 'version', `--registry=${registry}`, `--cache=${cache}`, '--fetch-retries=0'], {
      cwd: cache,
      env: tools.withoutNpmSettings(),
      timeout: 4_000,
    });

  it('runs an attempt that stalled once more, and says so', async () => {
    answer = 'stall';
    const result = await view();
    expect(result.timedOut).toBe(true);
    expect(result.retried).toBe('timed out after 4 s');
    expect(result.output).toMatch(/^\(first attempt timed out after 4 s; this is the second\)/);
    expect(requests.filter((url) => url.includes('nestjs-ajax-matrix-probe'))).toHaveLength(2);
  }, 20_000);

  it("does not run again what failed for the package's own reason", async () => {
    answer = 'not found';
    const result = await view();
    expect(result.code).not.toBe(0);
    expect(result.timedOut).toBe(false);
    expect(result.retried).toBeUndefined();
    expect(result.output).toMatch(/E404/);
    expect(requests.filter((url) => url.includes('nestjs-ajax-matrix-probe'))).toHaveLength(1);
  }, 20_000);
});
