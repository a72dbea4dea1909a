import { type DynamicModule, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AjaxModule } from '../lib/index.js';
import { AccountController } from './account/account.controller.js';
import { AccountService } from './account/account.service.js';
import { FragmentsController } from './fragments/fragments.controller.js';
import { PageController } from './page/page.controller.js';
import { PollsController } from './polls/polls.controller.js';
import { PollsService } from './polls/polls.service.js';
import type { RedisSetup } from './redis-setup.js';

/** Closes the Redis connection with the app. */
class RedisShutdown implements OnApplicationShutdown {
  constructor(private readonly redis: RedisSetup) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.close();
  }
}

/** The demo: the page, polls, a demo account and htmx fragments, every API failure answered in JSON. */
@Module({})
export class AppModule {
  /** @param redis sessions and messages in Redis; in memory when left out. */
  static create(redis?: RedisSetup): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AjaxModule.forRoot({
          applyToEveryRoute: true,
          isAuthenticated: (req) => Boolean(req.session?.userId),
          messages: redis ? { storage: redis.messageStorage } : {},
        }),
      ],
      controllers: [PageController, PollsController, AccountController, FragmentsController],
      providers: [PollsService, AccountService, ...(redis ? [{ provide: RedisShutdown, useValue: new RedisShutdown(redis) }] : [])],
    };
  }
}
