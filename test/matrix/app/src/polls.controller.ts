import { Body, Controller, Post } from '@nestjs/common';
import { Ajax, Messages, type RequestMessages } from 'nestjs-ajax';

/** The design card's endpoint: signed-in visitors only, POST only, a message with the answer. */
@Controller('polls')
export class PollsController {
  private votes = 0;

  @Post('vote')
  @Ajax({ loginRequired: true, requirePost: true })
  vote(@Body() body: { choice?: string }, @Messages() messages: RequestMessages): object {
    this.votes += 1;
    messages.success(`Voted ${String(body.choice)}.`);
    return { votes: this.votes };
  }
}
