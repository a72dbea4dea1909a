import 'reflect-metadata';
import { createDemoApp } from './create-demo-app.js';

const port = Number(process.env.PORT ?? 3000);
const app = await createDemoApp();
await app.listen(port, '127.0.0.1');
console.log(`nestjs-ajax demo: http://localhost:${port}/  (log in as ada / lovelace)`);
