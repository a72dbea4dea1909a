import type { DynamicModule } from '@nestjs/common';
import { spawnSync } from 'node:child_process';
import { createClient } from 'redis';
import { freePort, redisProcess } from '../test/fixtures/redis-process.js';
import { AjaxModule, RedisMessageStorage } from '../lib/index.js';

/** How a variant's process finds the run's redis-server: its URL, set by the parent before the processes start. */
const REDIS_URL = 'BENCH_REDIS_URL';

/**
 * The module with `RedisMessageStorage` on a node-redis client, as the
 * README advises it (no offline queue): connected in the variant's own
 * process, when the app starts, to the redis-server the run started. Its
 * time bound is 5 s rather than the default 1 s: with 50 connections on a
 * machine whose host took most of the CPU, some requests waited over a
 * second for their script and were rightly answered 503, which ended the
 * whole run; the bench measures cost, not that bound.
 */
export function redisStorageModule(): DynamicModule {
  return AjaxModule.forRootAsync({
    useFactory: async () => {
      const url = process.env[REDIS_URL];
      if (!url) throw new Error(`${REDIS_URL} is not set: the run starts a redis-server for the Redis variants`);
      const client = createClient({ url, disableOfflineQueue: true });
      client.on('error', (error: Error) => console.error(`Redis: ${error.message}`));
      await client.connect();
      return { messages: { storage: new RedisMessageStorage(client, { timeoutMs: 5_000 }) } };
    },
  });
}

/** A redis-server of the run's own, on loopback; stopped at the end of the run. */
export interface BenchRedis {
  stop(): Promise<void>;
}

/**
 * Starts a redis-server on a free loopback port for the Redis variants and
 * tells their processes where (the environment they inherit). Undefined
 * when the machine has no redis-server: the run leaves those variants out.
 */
export async function startBenchRedis(): Promise<BenchRedis | undefined> {
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status !== 0) return undefined;
  const port = await freePort();
  const server = redisProcess(port, []);
  await server.start();
  process.env[REDIS_URL] = `redis://127.0.0.1:${port}`;
  return server;
}
