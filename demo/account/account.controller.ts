import { Body, Controller, Get, Post, Redirect, Req } from '@nestjs/common';
import type { Request } from 'express';
import { Ajax, MessagesService } from '../../lib/index.js';

/** The demo account: its name and password are shown to the visitor. */
export const DEMO_USER = { username: 'ada', password: 'lovelace' };

type SessionRequest = Request & { session: { userId?: string } };

/**
 * Log in and out with classic form posts that redirect, as server-rendered
 * pages do; the message added here shows on the page's next AJAX response.
 */
@Controller()
export class AccountController {
  constructor(private readonly messages: MessagesService) {}

  @Post('account/login')
  @Redirect('/', 302)
  login(@Req() req: SessionRequest, @Body() body: { username?: string; password?: string }): void {
    if (body?.username === DEMO_USER.username && body?.password === DEMO_USER.password) {
      req.session.userId = DEMO_USER.username;
      this.messages.success(`Welcome back, ${DEMO_USER.username}.`);
    } else {
      this.messages.error('Wrong name or password.');
    }
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
    this.messages.info('You are logged out.');
  }
}
