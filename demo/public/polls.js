import { ajax } from './ajax-client.js';

const pollsSection = document.getElementById('polls');
const loginPrompt = document.getElementById('login-prompt');

/** Asks the visitor to log in, in place: an AJAX call never redirects. */
function askToLogIn() {
  loginPrompt.hidden = false;
  document.querySelector('#login-form input[name=username]').focus();
}

function renderPoll(poll) {
  const article = document.createElement('article');
  article.className = 'poll';
  article.dataset.pollId = poll.id;
  const title = document.createElement('h3');
  title.textContent = poll.question;
  article.append(title);
  if (!poll.open) {
    const closed = document.createElement('p');
    closed.className = 'closed';
    closed.textContent = 'This poll is closed.';
    article.append(closed);
  }
  const list = document.createElement('ul');
  list.className = 'choices';
  for (const choice of poll.choices) {
    const item = document.createElement('li');
    item.dataset.choiceId = choice.id;
    const text = document.createElement('span');
    text.className = 'text';
    text.textContent = choice.text;
    const votes = document.createElement('span');
    votes.className = 'votes';
    votes.textContent = `${choice.votes} vote${choice.votes === 1 ? '' : 's'}`;
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = 'Vote';
    button.addEventListener('click', () => vote(poll.id, choice.id, votes));
    item.append(text, votes, button);
    list.append(item);
  }
  article.append(list);
  const invalid = document.createElement('button');
  invalid.type = 'button';
  invalid.className = 'secondary';
  invalid.id = `invalid-vote-${poll.id}`;
  invalid.textContent = 'Vote for a choice that does not exist';
  invalid.addEventListener('click', () => vote(poll.id, 999));
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'secondary';
  close.textContent = 'Close this poll (POST)';
  close.addEventListener('click', async () => {
    const result = await ajax(`/api/polls/${poll.id}/close`, { method: 'POST', onUnauthorized: askToLogIn });
    if (result.body?.success) await loadPolls();
  });
  article.append(invalid, ' ', close);
  return article;
}

async function vote(pollId, choiceId, votesElement) {
  const result = await ajax(`/api/polls/${pollId}/vote`, { method: 'POST', json: { choice: choiceId }, onUnauthorized: askToLogIn });
  if (result.body?.success && votesElement) {
    const count = result.body.votes;
    votesElement.textContent = `${count} vote${count === 1 ? '' : 's'}`;
  }
}

async function loadPolls() {
  const result = await ajax('/api/polls');
  if (!result.ok) return;
  pollsSection.querySelectorAll('.poll, #polls-loading').forEach((el) => el.remove());
  pollsSection.append(...result.body.polls.map(renderPoll));
}

async function loadAccount() {
  const result = await ajax('/api/account');
  const user = result.body?.user;
  document.getElementById('signed-in').hidden = !user;
  document.getElementById('login-form').hidden = Boolean(user);
  document.getElementById('username').textContent = user ?? '';
}

/** The method-guard example: a GET to a POST-only endpoint, with what came back. */
document.getElementById('close-with-get').addEventListener('click', async (event) => {
  event.preventDefault();
  const result = await ajax(event.currentTarget.getAttribute('href'), { onUnauthorized: askToLogIn });
  const out = document.getElementById('method-result');
  out.hidden = false;
  out.textContent = `HTTP ${result.status}\nAllow: ${result.headers.get('Allow') ?? '(none)'}\n${JSON.stringify(result.body, null, 2)}`;
});

// Account first: its response carries any message left by the log-in redirect.
await loadAccount();
await loadPolls();
