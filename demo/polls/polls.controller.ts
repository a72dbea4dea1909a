import { All, Body, Controller, Get, NotFoundException, Param, ParseIntPipe } from '@nestjs/common';
import { Ajax, AjaxResponse, Messages, type RequestMessages } from '../../lib/index.js';
import { type Poll, PollsService } from './polls.service.js';

/**
 * The polls API, after djem's `vote_on_question` example: messages say what
 * happened, `success` says whether it worked.
 */
@Controller('api/polls')
export class PollsController {
  constructor(private readonly polls: PollsService) {}

  @Get()
  @Ajax()
  list(): { polls: Poll[] } {
    return { polls: this.polls.all() };
  }

  // @Messages() hands the handler this request's messages; AccountService shows MessagesService.
  @All(':pollId/vote')
  @Ajax({ loginRequired: true, requirePost: true })
  vote(
    @Param('pollId', ParseIntPipe) pollId: number,
    @Body() body: { choice?: unknown } | undefined,
    @Messages() messages: RequestMessages,
  ): AjaxResponse {
    const poll = this.pollOr404(pollId);
    const choice = poll.open ? poll.choices.find((c) => c.id === Number(body?.choice)) : undefined;
    if (!choice) {
      messages.error(poll.open ? 'Invalid choice.' : 'This poll is closed.');
      return new AjaxResponse({}, { success: false });
    }
    choice.votes += 1;
    messages.success('Vote recorded.');
    return new AjaxResponse({ choice: choice.id, votes: choice.votes }, { success: true });
  }

  @All(':pollId/close')
  @Ajax({ loginRequired: true, requirePost: true })
  close(@Param('pollId', ParseIntPipe) pollId: number, @Messages() messages: RequestMessages): AjaxResponse {
    const poll = this.pollOr404(pollId);
    poll.open = false;
    messages.info(`"${poll.question}" is closed.`);
    return new AjaxResponse({ open: false }, { success: true });
  }

  private pollOr404(pollId: number): Poll {
    const poll = this.polls.find(pollId);
    if (!poll) throw new NotFoundException(`There is no poll ${pollId}.`);
    return poll;
  }
}
