import type { AbstractHttpAdapter } from '@nestjs/core';
import type { AppCookies } from '../message-storage.interface.js';
import type { CookieSignerLike } from './cookie-signer.js';

/**
 * What the app says of cookies, for `MessageStorage.useAppCookies()`: Nest
 * 12.1 and later build a signer of the `cookies.secret` application option
 * when the app is created and hand it to the HTTP adapter
 * (`setCookieSigner()`), whose `setCookie(…, { signed: true })` signs with
 * it. The adapter is the one place a module can reach it: Nest's
 * application config is not a provider, and the secret itself stays inside
 * the signer. Read as Nest's own `setCookieSigner?.()` call is made, by its
 * shape: Nest 11 and Nest 12.0 have none.
 * @internal
 */
export function appCookiesOf(adapter: AbstractHttpAdapter): AppCookies {
  const signer = (adapter as unknown as { cookieSigner?: Partial<CookieSignerLike> }).cookieSigner;
  if (typeof signer?.sign !== 'function' || typeof signer.unsign !== 'function') return {};
  return { signer: signer as CookieSignerLike };
}
