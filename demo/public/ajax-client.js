// The client half of nestjs-ajax, small enough to copy into any page.
//
// ajax(url, options) calls a JSON endpoint and handles what every call needs:
// - every entry of the response's "messages" is shown as a toast, styled by its tags;
// - 401 calls onUnauthorized (e.g. show a log-in prompt) instead of following a redirect;
// - any other error shows the JSON body's "error" (and "message") text, or calls
//   onError when the caller shows the error itself (then it shows once, not twice).
// It resolves to { ok, status, body, headers } so the caller can update the page.

const toasts = () => document.getElementById('toasts');

/**
 * Shows one message as a toast; its tags become CSS classes (e.g. "important error").
 * It goes by itself after a while, and its close button (a real button, so the
 * keyboard reaches it) dismisses it at once.
 */
export function showToast(text, tags = '') {
  const toast = document.createElement('div');
  toast.className = ['toast', ...tags.split(' ').filter(Boolean)].join(' ');
  toast.setAttribute('role', 'status');
  const message = document.createElement('span');
  message.className = 'toast-text';
  message.textContent = text; // text, never HTML: messages are not escaped by the server
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'toast-close';
  close.setAttribute('aria-label', 'Dismiss message');
  close.textContent = '×';
  close.addEventListener('click', () => toast.remove());
  toast.append(message, close);
  toasts().append(toast);
  setTimeout(() => toast.remove(), 6000);
}

/**
 * Calls a JSON endpoint.
 * @param {string} url
 * @param {{ method?: string, json?: unknown, onUnauthorized?: (body: unknown) => void, onError?: (result: AjaxResult) => void }} [options]
 * @typedef {{ ok: boolean, status: number, body: any, headers: Headers }} AjaxResult
 */
export async function ajax(url, { method = 'GET', json, onUnauthorized, onError } = {}) {
  // X-Requested-With marks the call as AJAX; the module's strict CSRF mode requires it.
  const init = { method, headers: { Accept: 'application/json', 'X-Requested-With': 'XMLHttpRequest' }, credentials: 'same-origin' };
  if (json !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(json);
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch {
    showToast('The server cannot be reached.', 'error');
    return { ok: false, status: 0, body: null, headers: new Headers() };
  }
  const isJson = (response.headers.get('Content-Type') ?? '').includes('application/json');
  const body = isJson ? await response.json() : null;
  const result = { ok: response.ok, status: response.status, body, headers: response.headers };
  for (const { message, tags } of body?.messages ?? []) showToast(message, tags);
  if (response.status === 401 && onUnauthorized) {
    onUnauthorized(body);
  } else if (!response.ok && onError) {
    onError(result);
  } else if (!response.ok) {
    const detail = Array.isArray(body?.message) ? body.message.join(', ') : body?.message;
    showToast(detail ? `${body.error}: ${detail}` : body?.error ?? `HTTP ${response.status}`, 'error');
  }
  return result;
}
