import 'reflect-metadata';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Variant, VARIANTS } from './variants.js';

/**
 * One benchmark variant in a process of its own: `node server.js <variant>`.
 * Prints `READY <port>` once it listens on loopback. `GET /__heap` answers the
 * heap in use after a full GC (the process runs with --expose-gc). Each
 * platform's set-up is loaded only in the processes that run it, so an
 * Express variant's process holds nothing of Fastify and the reverse.
 */
const name = process.argv[2];
const variant = VARIANTS.find((v) => v.name === name);
if (!variant) throw new Error(`Unknown variant ${name}; known: ${VARIANTS.map((v) => v.name).join(', ')}`);

async function listen({ module, platform, expectedBody }: Variant): Promise<Server> {
  if (!module) return (await import('./raw-app.js')).listenRaw(expectedBody);
  if (platform === 'fastify') return (await import('./fastify-app.js')).listenOnFastify(module);
  return (await import('./express-app.js')).listenOnExpress(module);
}

const server = await listen(variant);
// A normal exit on SIGINT, so that --cpu-prof writes its profile.
process.on('SIGINT', () => process.exit(0));
console.log(`READY ${(server.address() as AddressInfo).port}`);
