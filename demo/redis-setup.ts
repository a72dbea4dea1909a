import { Logger } from '@nestjs/common';
import { RedisStore } from 'connect-redis';
import type { Store } from 'express-session';
import { createClient } from 'redis';
import { type MessageStorage, RedisMessageStorage } from '../lib/index.js';

/** Sessions and messages in Redis, for several instances of the demo behind a load balancer. */
export interface RedisSetup {
  sessionStore: Store;
  messageStorage: MessageStorage;
  close(): Promise<void>;
}

/**
 * Connects to `url` (the demo's REDIS_URL) and gives connect-redis sessions
 * and Redis-backed messages on one client. The app opens the connection; the
 * module only uses it.
 */
export async function connectRedis(url: string): Promise<RedisSetup> {
  const logger = new Logger('Redis');
  const client = createClient({ url });
  // node-redis reports every failed reconnection; without a listener it would end the process.
  client.on('error', (error: Error) => logger.warn(error.message));
  await client.connect();
  return {
    sessionStore: new RedisStore({ client, prefix: 'demo-sess:' }),
    messageStorage: new RedisMessageStorage(client),
    close: async () => {
      client.destroy();
    },
  };
}
