import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { AppModule } from './app.module.js';
import { createPlatformApp, type DemoPlatform } from './http-platform.js';
import { connectRedis } from './redis-setup.js';

/** Options of the demo app. */
export interface DemoOptions {
  logger?: false;
  /** The HTTP platform (PLATFORM). Default: Express. */
  platform?: DemoPlatform;
  /** Sessions and messages in this Redis (REDIS_URL), so several instances can serve one visitor. */
  redisUrl?: string;
  /** The session cookie's signing secret (SESSION_SECRET); every instance must share it. Default: a random one. */
  sessionSecret?: string;
}

/**
 * The demo app, ready to listen: the page, the polls API, and sessions in
 * the platform's built-in memory store, so there is nothing else to install
 * or start. With `redisUrl`, sessions and messages live in Redis.
 */
export async function createDemoApp(options: DemoOptions = {}): Promise<INestApplication> {
  if (options.redisUrl && !options.sessionSecret) {
    throw new Error(
      'REDIS_URL is set, so several instances may share sessions: set SESSION_SECRET too, to the same value on every instance, ' +
        'or one instance cannot read the session cookies another signed.',
    );
  }
  const redis = options.redisUrl ? await connectRedis(options.redisUrl) : undefined;
  try {
    return await createPlatformApp(AppModule.create(redis), {
      platform: options.platform ?? 'express',
      logger: options.logger,
      sessionSecret: options.sessionSecret ?? randomBytes(32).toString('hex'),
      sessionStore: redis?.sessionStore,
    });
  } catch (error) {
    // No app will close the connection: close it here, or it keeps the process alive.
    await redis?.close();
    throw error;
  }
}
