import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { createDemoApp } from './create-demo-app.js';
import { demoPlatform } from './http-platform.js';

const port = Number(process.env.PORT ?? 3000);
// Only this machine by default; HOST=0.0.0.0 (or ::) opens the demo to the network.
const host = process.env.HOST ?? '127.0.0.1';
const platform = demoPlatform(process.env.PLATFORM);
const redisUrl = process.env.REDIS_URL;
const app = await createDemoApp({ platform, redisUrl, sessionSecret: process.env.SESSION_SECRET });
// `kill` or Ctrl+C closes the app (and its Redis connection), then the process ends.
app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
await app.listen(port, host);

const address = app.getHttpServer().address() as AddressInfo;
const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
console.log(
  `nestjs-ajax demo on ${platform} listening on http://${shownHost}:${address.port}/  (log in as ada / lovelace)` +
    (redisUrl ? `; sessions and messages in Redis at ${redisUrl}` : '; sessions and messages in memory'),
);
