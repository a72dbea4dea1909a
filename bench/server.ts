import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import session from 'express-session';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { VARIANTS } from './variants.js';

/**
 * One benchmark variant in a process of its own: `node server.js <variant>`.
 * Prints `READY <port>` once it listens on loopback. `GET /__heap` answers the
 * heap in use after a full GC (the process runs with --expose-gc).
 */
const name = process.argv[2];
const variant = VARIANTS.find((v) => v.name === name);
if (!variant) throw new Error(`Unknown variant ${name}; known: ${VARIANTS.map((v) => v.name).join(', ')}`);

declare const gc: (() => void) | undefined;

function heapAfterGc(): number {
  for (let i = 0; i < 3; i++) gc?.();
  return process.memoryUsage().heapUsed;
}

let server: Server;
if (!variant.module) {
  const body = JSON.stringify(variant.expectedBody);
  server = createServer((req, res) => {
    if (req.url === '/__heap') {
      res.end(JSON.stringify({ heapUsed: heapAfterGc() }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
} else {
  const app = await NestFactory.create(variant.module, { logger: false });
  app.use((req: { url: string }, res: { end(body: string): void }, next: () => void) => {
    if (req.url === '/__heap') res.end(JSON.stringify({ heapUsed: heapAfterGc() }));
    else next();
  });
  app.use(session({ secret: 'bench', resave: false, saveUninitialized: false }));
  await app.listen(0, '127.0.0.1');
  server = app.getHttpServer();
}
// A normal exit on SIGINT, so that --cpu-prof writes its profile.
process.on('SIGINT', () => process.exit(0));
console.log(`READY ${(server.address() as AddressInfo).port}`);
