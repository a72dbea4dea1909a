import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Ajax, AjaxResponse, Messages, type RequestMessages } from 'nestjs-ajax';
import { Greeter } from './greeter.service.js';

type SessionRequest = Request & { session: { userId?: string } };

/** Signing in, and two ways of answering: the module's JSON and a handler's own `res.json()`. */
@Controller('account')
export class AccountController {
  constructor(private readonly greeter: Greeter) {}

  @Post('login')
  login(@Req() req: SessionRequest): AjaxResponse {
    req.session.userId = 'ada';
    this.greeter.greet('ada');
    return new AjaxResponse({ signedIn: true }, { success: true });
  }

  /** Writes its own response, so its message stays pending for the next JSON answer. */
  @Get('raw')
  raw(@Res() res: Response, @Messages() messages: RequestMessages): void {
    messages.info('Saved for later.');
    res.json({ raw: true });
  }

  @Get('me')
  @Ajax({ loginRequired: true })
  me(@Req() req: SessionRequest): object {
    return { userId: req.session.userId };
  }
}
