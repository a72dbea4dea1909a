import { Controller, Get, NotFoundException, UseInterceptors } from '@nestjs/common';
import request from 'supertest';
import { AjaxMessagesInterceptor, RedisMessageStorage } from '../../lib/index.js';
import { type RedisServer, redisTestsRun, startRedisServer } from '../fixtures/redis-server.js';
import { PLATFORMS, startTestApp, type TestApp } from '../fixtures/test-app.js';
import { connectRedisClient, type RedisClient } from '../fixtures/redis-instance.js';

@Controller('plain')
@UseInterceptors(AjaxMessagesInterceptor)
class PlainController {
  @Get('missing')
  missing(): never {
    throw new NotFoundException('No such poll.');
  }

  @Get('found')
  found(): object {
    return { found: true };
  }
}

describe.each(PLATFORMS)('on %s', (platform) => {
  (redisTestsRun() ? describe : describe.skip)('Redis down, with AjaxMessagesInterceptor but Nest\'s own exception filter', () => {
    let redis: RedisServer;
    let app: TestApp;
    let client: RedisClient;
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    beforeAll(async () => {
      process.on('unhandledRejection', onUnhandled);
      redis = await startRedisServer();
      client = await connectRedisClient(redis.url);
      app = await startTestApp({ platform,
        ajax: { messages: { storage: new RedisMessageStorage(client, { timeoutMs: 500 }) } },
        controllers: [PlainController],
      });
    });
    afterAll(async () => {
      process.off('unhandledRejection', onUnhandled);
      await app?.close();
      client?.destroy();
      await redis?.dispose();
    });

    it('still answers every request at once, with no unhandled rejection', async () => {
      expect((await request(app.url).get('/plain/missing')).status).toBe(404);
      await redis.stop();
      while (client.isReady) await new Promise((resolve) => setTimeout(resolve, 50));
      // Nest's filter does not await res.json: the 404 goes out without messages.
      const missing = await request(app.url).get('/plain/missing').timeout(3000);
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual({ message: 'No such poll.', error: 'Not Found', statusCode: 404 });
      // A success that needed the messages becomes the module's 503.
      const found = await request(app.url).get('/plain/found').timeout(3000);
      expect(found.status).toBe(503);
      expect(found.body).toEqual({ status: 'error', error: 'Service unavailable' });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
    });
  });
});
