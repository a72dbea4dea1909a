import { ajax } from './ajax-client.js';

const pollsSection = document.getElementById('polls');
const loginPrompt = document.getElementById('login-prompt');

/** Asks the visitor to log in, in place: an AJAX call never redirects. */
function askToLogIn() {
  loginPrompt.hidden = false;
  document.querySelector('#login-form input[name=username]').focus();
}

const votesText = (votes) => `${votes} vote${votes === 1 ? '' : 's'}`;

function element(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

function button(className, text) {
  const el = element('button', className, text);
  el.type = 'button';
  return el;
}

/** A poll, in the same markup the server renders into the page (demo/page/render-polls.ts). */
function renderPoll(poll) {
  const article = element('article', 'poll');
  article.dataset.pollId = poll.id;
  article.append(element('h3', '', poll.question));
  if (!poll.open) article.append(element('p', 'closed', 'This poll is closed.'));
  const list = element('ul', 'choices');
  for (const choice of poll.choices) {
    const item = element('li');
    item.dataset.choiceId = choice.id;
    item.append(element('span', 'text', choice.text), element('span', 'votes', votesText(choice.votes)), button('vote', 'Vote'));
    list.append(item);
  }
  const invalid = button('secondary invalid-vote', 'Vote for a choice that does not exist');
  invalid.id = `invalid-vote-${poll.id}`;
  const actions = element('div', 'poll-actions');
  actions.append(invalid, button('secondary close-poll', 'Close this poll (POST)'));
  article.append(list, actions);
  return article;
}

async function vote(pollId, choiceId, votesElement) {
  const result = await ajax(`/api/polls/${pollId}/vote`, { method: 'POST', json: { choice: choiceId }, onUnauthorized: askToLogIn });
  if (result.body?.success && votesElement) votesElement.textContent = votesText(result.body.votes);
}

async function closePoll(pollId) {
  const result = await ajax(`/api/polls/${pollId}/close`, { method: 'POST', onUnauthorized: askToLogIn });
  if (result.body?.success) await loadPolls();
}

async function loadPolls() {
  const result = await ajax('/api/polls');
  if (!result.ok) return;
  pollsSection.querySelectorAll('.poll').forEach((el) => el.remove());
  pollsSection.append(...result.body.polls.map(renderPoll));
}

async function loadAccount() {
  const result = await ajax('/api/account');
  const user = result.body?.user;
  document.getElementById('signed-in').hidden = !user;
  document.getElementById('login-form').hidden = Boolean(user);
  document.getElementById('username').textContent = user ?? '';
}

// One listener for every poll's buttons: the polls the server rendered into the
// page and the ones rendered here after a change work alike.
pollsSection.addEventListener('click', (event) => {
  const target = event.target.closest('button');
  const pollId = target?.closest('.poll')?.dataset.pollId;
  if (!pollId) return;
  if (target.classList.contains('vote')) {
    const choice = target.closest('li');
    vote(pollId, Number(choice.dataset.choiceId), choice.querySelector('.votes'));
  } else if (target.classList.contains('invalid-vote')) {
    vote(pollId, 999);
  } else if (target.classList.contains('close-poll')) {
    closePoll(pollId);
  }
});

/** The method-guard example: a GET to a POST-only endpoint, with what came back, shown here only. */
document.getElementById('close-with-get').addEventListener('click', async (event) => {
  event.preventDefault();
  // onError: the panel shows the error, so no toast repeats it.
  const result = await ajax(event.currentTarget.getAttribute('href'), { onUnauthorized: askToLogIn, onError: () => {} });
  const out = document.getElementById('method-result');
  out.hidden = false;
  out.textContent = `HTTP ${result.status}\nAllow: ${result.headers.get('Allow') ?? '(none)'}\n${JSON.stringify(result.body, null, 2)}`;
});

// The polls came with the page; the account's response carries any message left by the log-in redirect.
await loadAccount();
