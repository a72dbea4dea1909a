import 'reflect-metadata';
import type { Type } from '@nestjs/common';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SCALING_APPS } from './scaling-cases.js';
import { VARIANTS } from './variants.js';

/**
 * One benchmark variant, or one app of the scaling section, in a process of
 * its own: `node server.js <name>`. Prints `READY <port>` once it listens on
 * loopback. `GET /__heap` answers the heap in use after a full GC (the
 * process runs with --expose-gc). Each platform's set-up is loaded only in
 * the processes that run it, so an Express variant's process holds nothing
 * of Fastify and the reverse.
 */
const name = process.argv[2];
const variant = VARIANTS.find((v) => v.name === name);
const scalingApp = SCALING_APPS.find((app) => app.name === name);
if (!variant && !scalingApp) throw new Error(`Unknown variant ${name}; known: ${[...VARIANTS, ...SCALING_APPS].map((v) => v.name).join(', ')}`);

async function listenOn(platform: string, module: Type): Promise<Server> {
  if (platform === 'fastify') return (await import('./fastify-app.js')).listenOnFastify(module);
  return (await import('./express-app.js')).listenOnExpress(module);
}

async function listen(): Promise<Server> {
  if (scalingApp) return listenOn(scalingApp.platform, (await import('./scaling-apps.js')).scalingModule(scalingApp));
  const { module, platform, expectedBody } = variant!;
  if (!module) return (await import('./raw-app.js')).listenRaw(expectedBody);
  return listenOn(platform, module);
}

const server = await listen();
// A normal exit on SIGINT, so that --cpu-prof writes its profile.
process.on('SIGINT', () => process.exit(0));
console.log(`READY ${(server.address() as AddressInfo).port}`);
