// What the consumer matrix checks in each app (test/matrix/run.mjs): the
// README's answers over real HTTP, and one copy of the module per process.
import { deepStrictEqual } from 'node:assert/strict';

/**
 * A visitor of the app at `url`, as a page's `fetch` is: JSON bodies, one
 * session cookie kept from answer to answer. Each call gives the status, the
 * `Allow` header, whether there was a `WWW-Authenticate` challenge, and the body.
 */
export function visitor(url) {
  let cookie = '';
  return async (method, path, body, headers = {}) => {
    const res = await fetch(url + path, {
      method,
      redirect: 'manual',
      headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}), ...headers },
      ...(body ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(10_000),
    });
    cookie = res.headers.get('set-cookie')?.split(';')[0] ?? cookie;
    return { status: res.status, allow: res.headers.get('allow'), challenge: res.headers.has('www-authenticate'), body: await res.json() };
  };
}

/** The README's promises over real HTTP, against the running app: 401, 404, 405 and messages. */
export async function checkRunningApp(url) {
  const call = visitor(url);
  deepStrictEqual(await call('POST', '/polls/vote', { choice: 'red' }), {
    status: 401, allow: null, challenge: true, body: { status: 'error', error: 'Unauthorized' },
  });
  deepStrictEqual(await call('GET', '/nowhere'), {
    status: 404, allow: null, challenge: false, body: { status: 'error', error: 'Not found', message: 'Cannot GET /nowhere' },
  });
  deepStrictEqual(await call('POST', '/account/login'), {
    status: 201, allow: null, challenge: false,
    body: { signedIn: true, success: true, messages: [{ message: 'Welcome back, ada.', tags: 'success' }] },
  });
  deepStrictEqual(await call('GET', '/polls/vote'), {
    status: 405, allow: 'POST', challenge: false, body: { status: 'error', error: 'Method not allowed' },
  });
  deepStrictEqual(await call('POST', '/polls/vote', { choice: 'red' }), {
    status: 201, allow: null, challenge: false, body: { votes: 1, messages: [{ message: 'Voted red.', tags: 'success' }] },
  });
}

// Run as CommonJS from the app's folder: require() and import() must meet the same module.
export const ONE_COPY = `
const required = require('nestjs-ajax');
import('nestjs-ajax').then((imported) => {
  const same = ['AjaxModule', 'MessagesService', 'AjaxExceptionFilter', 'AjaxConfigurationError'].every((name) => required[name] === imported[name]);
  console.log(JSON.stringify({ same, file: require.resolve('nestjs-ajax') }));
});
`;
