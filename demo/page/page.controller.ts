import { Controller, Get, Header } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PollsService } from '../polls/polls.service.js';
import { renderPoll } from './render-polls.js';

/** Where the page's polls go in public/index.html. */
const POLLS_PLACEHOLDER = '<!-- polls -->';

/**
 * The page, with the polls already in it: the first paint (and a screenshot,
 * or a browser without JavaScript) shows the poll, not a loading state. The
 * rest of the page is public/index.html as it is.
 */
@Controller()
export class PageController {
  private readonly template = readFileSync(join(import.meta.dirname, '..', 'public', 'index.html'), 'utf8');

  constructor(private readonly polls: PollsService) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  page(): string {
    return this.template.replace(POLLS_PLACEHOLDER, this.polls.all().map(renderPoll).join('\n'));
  }
}
