import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import session from 'express-session';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { AppModule } from './app.module.js';

/**
 * The demo app, ready to listen: the page, the polls API, and express-session
 * with its built-in memory store, so there is nothing else to install or start.
 */
export async function createDemoApp(options: { logger?: false } = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, options);
  app.use(
    session({
      secret: process.env.SESSION_SECRET ?? randomBytes(32).toString('hex'),
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax' },
    }),
  );
  // The page and its scripts: plain files, nothing to build.
  app.useStaticAssets(join(import.meta.dirname, 'public'));
  return app;
}
