import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import type { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import session, { type Store } from 'express-session';
import { join } from 'node:path';

/** The HTTP platforms the demo runs on, as PLATFORM names them; the first is the default. */
export const DEMO_PLATFORMS = ['express', 'fastify'] as const;

/** One of `DEMO_PLATFORMS`. */
export type DemoPlatform = (typeof DEMO_PLATFORMS)[number];

/**
 * The platform PLATFORM names: Express when it is unset or empty. Any other
 * value stops the start-up here, rather than the demo quietly running on
 * Express when Fastify was asked for under a misspelt name.
 */
export function demoPlatform(value: string | undefined): DemoPlatform {
  if (!value) return DEMO_PLATFORMS[0];
  const known = DEMO_PLATFORMS.find((platform) => platform === value);
  if (!known) {
    throw new Error(`PLATFORM=${value} is not a platform of the demo: set PLATFORM to ${DEMO_PLATFORMS.join(' or ')} (default express).`);
  }
  return known;
}

/** What the app needs of its platform. */
export interface PlatformSetup {
  platform: DemoPlatform;
  logger?: false;
  /** Signs the session cookie. */
  sessionSecret: string;
  /** Where sessions live; the platform's in-memory store when left out. connect-redis serves both platforms. */
  sessionStore?: Store;
}

/** The page's scripts and styles: plain files, nothing to build. */
const PUBLIC = join(import.meta.dirname, 'public');

/**
 * Creates the app on the platform, with cookie sessions and the page's
 * static files: everything in the demo that differs between Express and
 * Fastify. Sessions start only once something is stored in them, and the
 * cookie is HTTP-only, `SameSite=Lax`, and sent over plain HTTP as well,
 * since the demo listens on http://.
 */
export function createPlatformApp(module: DynamicModule, setup: PlatformSetup): Promise<INestApplication> {
  return setup.platform === 'fastify' ? createFastifyApp(module, setup) : createExpressApp(module, setup);
}

async function createExpressApp(module: DynamicModule, setup: PlatformSetup): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(module, { logger: setup.logger });
  app.use(
    session({
      secret: setup.sessionSecret,
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax' },
      store: setup.sessionStore,
    }),
  );
  // Not index.html at "/": PageController serves it, with the polls already in it.
  app.useStaticAssets(PUBLIC, { index: false });
  return app;
}

async function createFastifyApp(module: DynamicModule, setup: PlatformSetup): Promise<INestApplication> {
  // @fastify/session refuses a shorter secret with a message that does not say which setting it is.
  if (setup.sessionSecret.length < 32) {
    throw new Error('On Fastify, SESSION_SECRET must be at least 32 characters long (@fastify/session requires it).');
  }
  const app = await NestFactory.create<NestFastifyApplication>(module, new FastifyAdapter(), { logger: setup.logger });
  await app.register(fastifyCookie);
  await app.register(fastifySession, {
    secret: setup.sessionSecret,
    saveUninitialized: false,
    // @fastify/session's cookie is Secure unless told otherwise, and a browser never sends it back over http://.
    cookie: { httpOnly: true, sameSite: 'lax', secure: false },
    // An express-session store: get, set and destroy with callbacks, as @fastify/session calls them.
    store: setup.sessionStore,
  });
  // One route per file rather than a catch-all GET: a catch-all would make every
  // path answer GET, so a wrong method on an unknown path would get 405, not 404.
  app.useStaticAssets({ root: PUBLIC, index: false, wildcard: false });
  return app;
}
