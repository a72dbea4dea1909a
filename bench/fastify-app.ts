import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import type { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Server } from 'node:http';
import { heapAfterGc } from './heap.js';
import { JsonSessionStore } from './json-session-store.js';

/**
 * A variant's app on Fastify (`FastifyAdapter`) with @fastify/cookie and
 * @fastify/session, listening on loopback. The session options are the
 * Express variants' (`resave: false`, `saveUninitialized: false`, no rolling
 * cookie): an unchanged session is neither saved nor sent back, so both
 * baselines do the same session work per request.
 */
export async function listenOnFastify(module: Type): Promise<Server> {
  const app = await NestFactory.create<NestFastifyApplication>(module, new FastifyAdapter(), { logger: false });
  await app.register(fastifyCookie);
  await app.register(fastifySession, {
    secret: 'a-bench-secret-of-at-least-32-characters',
    // Plain HTTP on loopback: a secure cookie would never come back.
    cookie: { secure: false },
    saveUninitialized: false,
    rolling: false,
    store: new JsonSessionStore(),
  });
  // A route of Fastify's own rather than a hook: it costs the measured route nothing.
  app.getHttpAdapter().getInstance().get('/__heap', async () => ({ heapUsed: await heapAfterGc() }));
  await app.listen(0, '127.0.0.1');
  return app.getHttpServer();
}
