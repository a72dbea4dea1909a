import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { configureApp } from './configure-app.js';

async function bootstrap(): Promise<void> {
  const app = configureApp(await NestFactory.create(AppModule, { logger: ['error', 'warn'] }));
  await app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
  // The line the matrix waits for: where to send requests.
  console.log(`listening on ${await app.getUrl()}`);
}

void bootstrap();
