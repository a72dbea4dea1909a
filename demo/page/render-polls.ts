import type { Poll } from '../polls/polls.service.js';

/** Escapes text for HTML: poll questions and choices are data, never markup. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** "1 vote", "2 votes". */
export const votesText = (votes: number) => `${votes} vote${votes === 1 ? '' : 's'}`;

/**
 * A poll as HTML, the same markup public/polls.js builds after closing a poll:
 * the page's first paint shows the poll, and the script's delegated handlers
 * work on either.
 */
export function renderPoll(poll: Poll): string {
  const choices = poll.choices
    .map(
      (choice) =>
        `<li data-choice-id="${choice.id}"><span class="text">${escapeHtml(choice.text)}</span>` +
        `<span class="votes">${votesText(choice.votes)}</span><button type="button" class="vote">Vote</button></li>`,
    )
    .join('');
  return (
    `<article class="poll" data-poll-id="${poll.id}"><h3>${escapeHtml(poll.question)}</h3>` +
    (poll.open ? '' : '<p class="closed">This poll is closed.</p>') +
    `<ul class="choices">${choices}</ul>` +
    `<div class="poll-actions"><button type="button" class="secondary invalid-vote" id="invalid-vote-${poll.id}">Vote for a choice that does not exist</button>` +
    `<button type="button" class="secondary close-poll">Close this poll (POST)</button></div></article>`
  );
}

/** A poll's results as the HTML fragment the page's htmx button swaps in (demo/fragments). */
export function renderResults(poll: Poll): string {
  const rows = poll.choices
    .map((choice) => `<li><span class="text">${escapeHtml(choice.text)}</span><span class="votes">${votesText(choice.votes)}</span></li>`)
    .join('');
  return `<ol class="results" data-poll-id="${poll.id}">${rows}</ol>`;
}
