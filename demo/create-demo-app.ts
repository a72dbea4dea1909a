import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import session from 'express-session';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { AppModule } from './app.module.js';
import { connectRedis } from './redis-setup.js';

/** Options of the demo app. */
export interface DemoOptions {
  logger?: false;
  /** Sessions and messages in this Redis (REDIS_URL), so several instances can serve one visitor. */
  redisUrl?: string;
  /** The session cookie's signing secret (SESSION_SECRET); every instance must share it. Default: a random one. */
  sessionSecret?: string;
}

/**
 * The demo app, ready to listen: the page, the polls API, and express-session
 * with its built-in memory store, so there is nothing else to install or
 * start. With `redisUrl`, sessions and messages live in Redis.
 */
export async function createDemoApp(options: DemoOptions = {}): Promise<NestExpressApplication> {
  if (options.redisUrl && !options.sessionSecret) {
    throw new Error(
      'REDIS_URL is set, so several instances may share sessions: set SESSION_SECRET too, to the same value on every instance, ' +
        'or one instance cannot read the session cookies another signed.',
    );
  }
  const redis = options.redisUrl ? await connectRedis(options.redisUrl) : undefined;
  const app = await NestFactory.create<NestExpressApplication>(AppModule.create(redis), { logger: options.logger });
  app.use(
    session({
      secret: options.sessionSecret ?? randomBytes(32).toString('hex'),
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax' },
      store: redis?.sessionStore,
    }),
  );
  // The page's scripts and styles: plain files, nothing to build. Not index.html
  // at "/": PageController serves it, with the polls already in it.
  app.useStaticAssets(join(import.meta.dirname, 'public'), { index: false });
  return app;
}
