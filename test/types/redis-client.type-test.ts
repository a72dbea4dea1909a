// Compiled by `npm run typecheck`, never run: a node-redis client, as
// createClient() makes it, must be accepted by RedisMessageStorage as it is.
import { createClient } from 'redis';
import { RedisMessageStorage } from '../../lib/index.js';

declare const client: ReturnType<typeof createClient>;

export const storage = new RedisMessageStorage(client, { ttlSeconds: 3600 });
