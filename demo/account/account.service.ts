import { Injectable } from '@nestjs/common';
import { MessagesService } from '../../lib/index.js';

/** The demo account: its name and password are shown to the visitor. */
export const DEMO_USER = { username: 'ada', password: 'lovelace' };

/**
 * Checks the demo account and says how it went. MessagesService fits here: a
 * service adds messages to the visitor's request without every caller passing
 * them in, and stays a singleton.
 */
@Injectable()
export class AccountService {
  constructor(private readonly messages: MessagesService) {}

  /** The signed-in name, or undefined when the name or password is wrong. */
  logIn(username: string | undefined, password: string | undefined): string | undefined {
    if (username === DEMO_USER.username && password === DEMO_USER.password) {
      this.messages.success(`Welcome back, ${DEMO_USER.username}.`);
      return DEMO_USER.username;
    }
    this.messages.error('Wrong name or password.');
    return undefined;
  }

  logOut(): void {
    this.messages.info('You are logged out.');
  }
}
