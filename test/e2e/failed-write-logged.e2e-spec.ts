import { BadRequestException, Controller, Get, Injectable, type MiddlewareConsumer, Module, type NestMiddleware } from '@nestjs/common';
import { MessagesService } from '../../lib/index.js';
import type { AjaxMessage } from '../../lib/messages/ajax-message.interface.js';
import type { MessageStorage } from '../../lib/messages/message-storage.interface.js';
import { captureLogs } from '../fixtures/capture-logs.js';
import { PLATFORMS, startTestApp, type TestApp } from '../fixtures/test-app.js';

/**
 * A message whose write fails is logged once, whatever answers the request:
 * the handler's answer the platform holds and turns into the 503, or the
 * error body of a Nest middleware's failure, which on Fastify the filter
 * writes on the raw response, past the hold.
 */

/** An asynchronous storage whose writes fail, and whose takes find nothing. */
class FailingWrites implements MessageStorage {
  add(): Promise<void> {
    return Promise.reject(new Error('the store is down'));
  }
  take(): Promise<readonly AjaxMessage[]> {
    return Promise.resolve([]);
  }
  peek(): Promise<readonly AjaxMessage[]> {
    return Promise.resolve([]);
  }
}

/** Adds a message, then refuses the request. */
@Injectable()
class RefusingMiddleware implements NestMiddleware {
  constructor(private readonly messages: MessagesService) {}
  use(): void {
    this.messages.info('Added by the middleware.');
    throw new BadRequestException('Refused by the middleware.');
  }
}

@Controller('failed-write')
class FailedWriteController {
  constructor(private readonly messages: MessagesService) {}

  @Get('refused')
  refused(): object {
    return { ok: true };
  }

  @Get('handler')
  handler(): object {
    this.messages.info('Added by the handler.');
    return { ok: true };
  }

  /** Adds a message, then waits for the pending ones: the failed write comes back to it as a 503. */
  @Get('consuming')
  async consuming(): Promise<object> {
    this.messages.info('Added by the handler.');
    return { taken: await this.messages.consume() };
  }
}

@Module({ controllers: [FailedWriteController] })
class FailedWriteModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RefusingMiddleware).forRoutes('failed-write/refused');
  }
}

describe.each(PLATFORMS)('on %s, a message whose write fails', (platform) => {
  const errors = captureLogs('error');
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ platform, ajax: { global: true, messages: { storage: new FailingWrites() } }, imports: [FailedWriteModule] });
  });
  afterAll(() => t.close());

  const stored = () => errors.filter((line) => line.includes('A message could not be stored'));

  it.each(['/failed-write/handler', '/failed-write/refused', '/failed-write/consuming'])('%s: logged once, with the reason, and nothing else', async (path) => {
    const res = await t.http().get(path);
    expect(res.status).toBeGreaterThanOrEqual(400);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stored()).toHaveLength(1);
    expect(stored()[0]).toContain('the store is down');
    expect(errors).toHaveLength(1);
  });
});
