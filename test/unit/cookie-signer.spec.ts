import { AjaxConfigurationError } from '../../lib/ajax.errors.js';
import { CookieMessageStorage } from '../../lib/messages/cookie/cookie-message-storage.js';
import { HmacCookieSigner, messagesSignerOf, openCookieValue, sealCookieValue } from '../../lib/messages/cookie/cookie-signer.js';
import { COOKIE_NAME, messagesKeyFor } from '../fixtures/cookie-app.js';

const FIRST = 'the-app-cookies-secret-of-at-least-32-characters';
const OLDER = 'the-previous-secret-of-at-least-32-characters';
/** What the module derived its keys from before: an HMAC of this label, the app's own signature of it. */
const OLD_LABEL = 'nestjs-ajax\u0000CookieMessageStorage key';

/** A signer that only signs and verifies, its secrets out of sight. */
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
    const messages = messagesSignerOf(nestLikeSigner([FIRST, OLDER]))!;
    const sealed = sealCookieValue(messages, COOKIE_NAME, 'cGF5bG9hZA');
    expect(sealed).toBe(sealCookieValue(new HmacCookieSigner([messagesKeyFor(FIRST)]), COOKIE_NAME, 'cGF5bG9hZA'));
    const byOlder = sealCookieValue(new HmacCookieSigner([messagesKeyFor(OLDER)]), COOKIE_NAME, 'b2xk');
    expect(openCookieValue(messages, COOKIE_NAME, byOlder)).toBe('b2xk');
  });

  it('makes values the app\'s own signer never accepts, under any cookie name', () => {
    const app = nestLikeSigner([FIRST]);
    const sealed = sealCookieValue(messagesSignerOf(app)!, COOKIE_NAME, 'cGF5bG9hZA');
    expect(app.unsign(`s:${COOKIE_NAME}=${sealed}`)).toBeUndefined();
    expect(app.unsign(`s:${sealed}`)).toBeUndefined();
    // And the app's own signature of the same text is no messages cookie.
    const appSealed = sealCookieValue(app, COOKIE_NAME, 'cGF5bG9hZA');
    expect(openCookieValue(messagesSignerOf(app)!, COOKIE_NAME, appSealed)).toBeUndefined();
  });

  it('uses no key the app signs for a visitor: no signature of the app\'s, of any text, seals a messages cookie', () => {
    const app = nestLikeSigner([FIRST]);
    const messages = messagesSignerOf(app)!;
    const sealed = sealCookieValue(messages, COOKIE_NAME, 'cGF5bG9hZA');
    for (const label of [OLD_LABEL, 'nestjs-ajax', 'CookieMessageStorage key', '']) {
      // The app signing a value a visitor chose (a signed cookie of what they typed) hands them this signature.
      const signature = app.sign(label).slice(`s:${label}.`.length);
      expect(sealCookieValue(new HmacCookieSigner([signature]), COOKIE_NAME, 'cGF5bG9hZA')).not.toBe(sealed);
    }
  });

  it('makes no signer of one that hides its secrets: no key of the module\'s own can be made from it', () => {
    expect(messagesSignerOf(signerHidingItsSecrets([FIRST]))).toBeUndefined();
    expect(messagesSignerOf(nestLikeSigner([]))).toBeUndefined();
  });
});

describe('CookieMessageStorage without a secret of its own, at start-up', () => {
  it('fails when the app\'s signer does not show its secrets, asking for a secret of the storage\'s own', () => {
    const storage = new CookieMessageStorage();
    expect(() => storage.useAppCookies({ signer: signerHidingItsSecrets([FIRST]) })).toThrow(AjaxConfigurationError);
    expect(() => storage.useAppCookies({ signer: signerHidingItsSecrets([FIRST]) })).toThrow(/does not show its secrets.*new CookieMessageStorage\(\{ secret \}\)/);
  });

  it('takes a signer that shows them', () => {
    expect(() => new CookieMessageStorage().useAppCookies({ signer: nestLikeSigner([FIRST]) })).not.toThrow();
  });
});
