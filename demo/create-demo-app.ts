import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import session from 'express-session';
import { randomBytes } from 'node:crypto';
import { AppModule } from './app.module.js';

/**
 * The demo app, ready to listen: express-session with its built-in memory
 * store, so there is nothing else to install or start.
 */
export async function createDemoApp(options: { logger?: false } = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, options);
  app.use(
    session({
      secret: process.env.SESSION_SECRET ?? randomBytes(32).toString('hex'),
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax' },
    }),
  );
  return app;
}
