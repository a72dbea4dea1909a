import { Injectable } from '@nestjs/common';

/** A poll question and its choices with their vote counts. */
export interface Poll {
  id: number;
  question: string;
  open: boolean;
  choices: Array<{ id: number; text: string; votes: number }>;
}

/** The polls, kept in memory: the demo has nothing to install. */
@Injectable()
export class PollsService {
  private readonly polls: Poll[] = [
    {
      id: 1,
      question: "What's new?",
      open: true,
      choices: [
        { id: 1, text: 'Not much', votes: 0 },
        { id: 2, text: 'The sky', votes: 0 },
        { id: 3, text: 'Just hacking again', votes: 0 },
      ],
    },
  ];

  all(): Poll[] {
    return this.polls;
  }

  find(pollId: number): Poll | undefined {
    return this.polls.find((poll) => poll.id === pollId);
  }
}
