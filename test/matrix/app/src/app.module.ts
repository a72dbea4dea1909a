import { Module } from '@nestjs/common';
import { AjaxModule } from 'nestjs-ajax';
import { AccountController } from './account.controller.js';
import { Greeter } from './greeter.service.js';
import { PollsController } from './polls.controller.js';

/** The consumer app: the module applied to every route, signed in through the session. */
@Module({
  imports: [
    AjaxModule.forRoot({
      global: true,
      isAuthenticated: (req) => typeof (req as { session?: { userId?: unknown } }).session?.userId === 'string',
    }),
  ],
  controllers: [PollsController, AccountController],
  providers: [Greeter],
})
export class AppModule {}
