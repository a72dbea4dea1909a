import { Body, Controller, Get, Post, Redirect, Req } from '@nestjs/common';
import { Ajax } from '../../lib/index.js';
import { AccountService } from './account.service.js';

/** Express's request or Fastify's: only its session is used, whose values express-session and @fastify/session both keep as properties. */
type SessionRequest = { session: { userId?: string } };

/**
 * Log in and out with classic form posts that redirect, as server-rendered
 * pages do; the message added on the way shows on the page's next AJAX response.
 */
@Controller()
export class AccountController {
  constructor(private readonly account: AccountService) {}

  @Post('account/login')
  @Redirect('/', 302)
  login(@Req() req: SessionRequest, @Body() body: { username?: string; password?: string }): void {
    const user = this.account.logIn(body?.username, body?.password);
    if (user) req.session.userId = user;
  }

  /** Who is signed in, for the page; it also delivers the message of a log-in or log-out redirect. */
  @Get('api/account')
  @Ajax()
  whoAmI(@Req() req: SessionRequest): { user: string | null } {
    return { user: req.session.userId ?? null };
  }

  @Post('account/logout')
  @Redirect('/', 302)
  logout(@Req() req: SessionRequest): void {
    delete req.session.userId;
    this.account.logOut();
  }
}
