import { HmacCookieSigner, messagesSignerOf, openCookieValue, sealCookieValue } from '../../lib/messages/cookie/cookie-signer.js';
import { COOKIE_NAME, keyFromAppSecret } from '../fixtures/cookie-app.js';

const FIRST = 'the-app-cookies-secret-of-at-least-32-characters';
const OLDER = 'the-previous-secret-of-at-least-32-characters';

/** Nest's CookieSigner shows its secrets; another signer may only sign and verify. */
function signerHidingItsSecrets(secrets: string[]): { sign(value: string): string; unsign(input: string): string | undefined } {
  const inner = new HmacCookieSigner(secrets);
  return { sign: (value) => inner.sign(value), unsign: (input) => inner.unsign(input) };
}

/** As Nest's CookieSigner: sign, verify, and its secrets in sight. */
function nestLikeSigner(secrets: string[]): ReturnType<typeof signerHidingItsSecrets> & { secrets: string[] } {
  return { ...signerHidingItsSecrets(secrets), secrets };
}

describe('messagesSignerOf()', () => {
  it('signs with a key derived from the app\'s first secret, and verifies with the keys of all of them', () => {
    const app = nestLikeSigner([FIRST, OLDER]);
    const messages = messagesSignerOf(app);
    const sealed = sealCookieValue(messages, COOKIE_NAME, 'cGF5bG9hZA');
    expect(sealed).toBe(sealCookieValue(new HmacCookieSigner([keyFromAppSecret(FIRST)]), COOKIE_NAME, 'cGF5bG9hZA'));
    const byOlder = sealCookieValue(new HmacCookieSigner([keyFromAppSecret(OLDER)]), COOKIE_NAME, 'b2xk');
    expect(openCookieValue(messages, COOKIE_NAME, byOlder)).toBe('b2xk');
  });

  it('makes values the app\'s own signer never accepts, under any cookie name', () => {
    const app = nestLikeSigner([FIRST]);
    const sealed = sealCookieValue(messagesSignerOf(app), COOKIE_NAME, 'cGF5bG9hZA');
    expect(app.unsign(`s:${COOKIE_NAME}=${sealed}`)).toBeUndefined();
    expect(app.unsign(`s:${sealed}`)).toBeUndefined();
    // And the app's own signature of the same text is no messages cookie.
    const appSealed = sealCookieValue(app, COOKIE_NAME, 'cGF5bG9hZA');
    expect(openCookieValue(messagesSignerOf(app), COOKIE_NAME, appSealed)).toBeUndefined();
  });

  it('with a signer that hides its secrets, derives the first one\'s key from its own signature', () => {
    const messages = messagesSignerOf(signerHidingItsSecrets([FIRST, OLDER]));
    expect(sealCookieValue(messages, COOKIE_NAME, 'cGF5bG9hZA')).toBe(
      sealCookieValue(new HmacCookieSigner([keyFromAppSecret(FIRST)]), COOKIE_NAME, 'cGF5bG9hZA'),
    );
    // The older secret's key cannot be had without the secret: its cookies no longer verify.
    const byOlder = sealCookieValue(new HmacCookieSigner([keyFromAppSecret(OLDER)]), COOKIE_NAME, 'b2xk');
    expect(openCookieValue(messages, COOKIE_NAME, byOlder)).toBeUndefined();
  });
});
