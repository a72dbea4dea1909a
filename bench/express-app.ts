import type { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import session from 'express-session';
import type { Server } from 'node:http';
import { heapAfterGc } from './heap.js';

/**
 * A variant's app on Express (Nest's default adapter) with express-session
 * and its MemoryStore, listening on loopback.
 */
export async function listenOnExpress(module: Type): Promise<Server> {
  const app = await NestFactory.create(module, { logger: false });
  app.use((req: { url: string }, res: { end(body: string): void }, next: () => void) => {
    if (req.url === '/__heap') void heapAfterGc().then((heapUsed) => res.end(JSON.stringify({ heapUsed })));
    else next();
  });
  app.use(session({ secret: 'bench', resave: false, saveUninitialized: false }));
  await app.listen(0, '127.0.0.1');
  return app.getHttpServer();
}
