import { Module } from '@nestjs/common';
import { AjaxModule } from '../lib/index.js';
import { AccountController } from './account/account.controller.js';
import { PollsController } from './polls/polls.controller.js';
import { PollsService } from './polls/polls.service.js';

/** The demo: polls and a demo account, every failure answered in JSON. */
@Module({
  imports: [
    AjaxModule.forRoot({
      global: true,
      isAuthenticated: (req) => Boolean((req.session as { userId?: string } | undefined)?.userId),
    }),
  ],
  controllers: [PollsController, AccountController],
  providers: [PollsService],
})
export class AppModule {}
