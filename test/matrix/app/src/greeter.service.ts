import { Injectable } from '@nestjs/common';
import { MessagesService } from 'nestjs-ajax';

/** A service that adds a message through the injected MessagesService. */
@Injectable()
export class Greeter {
  constructor(private readonly messages: MessagesService) {}

  greet(name: string): void {
    this.messages.success(`Welcome back, ${name}.`);
  }
}
