import { Controller, Get, Header, NotFoundException, Param, ParseIntPipe } from '@nestjs/common';
import { Messages, type RequestMessages } from '../../lib/index.js';
import { renderResults, votesText } from '../page/render-polls.js';
import { PollsService } from '../polls/polls.service.js';

/**
 * HTML fragments for the page's htmx controls. htmx reads no JSON body, so
 * the module puts the messages in the answer's `HX-Trigger` header (the demo
 * applies it to every route, and htmx sends `HX-Request: true`), where
 * public/htmx-messages.js shows them as toasts.
 */
@Controller('fragments')
export class FragmentsController {
  constructor(private readonly polls: PollsService) {}

  @Get('polls/:pollId/results')
  @Header('Content-Type', 'text/html; charset=utf-8')
  results(@Param('pollId', ParseIntPipe) pollId: number, @Messages() messages: RequestMessages): string {
    const poll = this.polls.find(pollId);
    if (!poll) throw new NotFoundException(`There is no poll ${pollId}.`);
    const total = poll.choices.reduce((sum, choice) => sum + choice.votes, 0);
    messages.info(`Results of "${poll.question}": ${votesText(total)} in all.`);
    return renderResults(poll);
  }
}
