import 'reflect-metadata';
import { createDemoApp } from './create-demo-app.js';

const port = Number(process.env.PORT ?? 3000);
const redisUrl = process.env.REDIS_URL;
const app = await createDemoApp({ redisUrl, sessionSecret: process.env.SESSION_SECRET });
await app.listen(port, '127.0.0.1');
console.log(
  `nestjs-ajax demo: http://localhost:${port}/  (log in as ada / lovelace)` +
    (redisUrl ? `; sessions and messages in Redis at ${redisUrl}` : '; sessions and messages in memory'),
);
