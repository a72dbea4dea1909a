import { Buffer } from 'node:buffer';
import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * What signs and verifies cookie values, in the format of the
 * `cookie-signature` package (cookie-parser's, express-session's):
 * `sign(value)` gives `s:<value>.<signature>`, the signature an HMAC-SHA256
 * in base64 without padding; `unsign(input)` gives the value back when the
 * signature verifies with one of the secrets, else `undefined`. Nest 12.1's
 * `CookieSigner`, which `NestFactory.create(AppModule, { cookies: { secret } })`
 * builds, is one.
 *
 * @example
 * const value = signer.unsign(signer.sign('hello')); // 'hello'
 */
export interface CookieSignerLike {
  sign(value: string): string;
  unsign(input: string): string | undefined;
}

/** What marks a signed value, as `cookie-signature` writes it. */
const SIGNED = 's:';

/**
 * The signer `CookieMessageStorage` makes of its own `secret`: the first
 * secret signs, any of them verifies (rotation), and every one is tried, so
 * that the time taken does not tell which matched.
 * @internal
 */
export class HmacCookieSigner implements CookieSignerLike {
  constructor(private readonly secrets: readonly string[]) {}

  sign(value: string): string {
    return `${SIGNED}${value}.${digest(value, this.secrets[0])}`;
  }

  unsign(input: string): string | undefined {
    const signed = input.startsWith(SIGNED) ? input.slice(SIGNED.length) : input;
    const dot = signed.lastIndexOf('.');
    if (dot === -1) return undefined;
    const value = signed.slice(0, dot);
    const signature = Buffer.from(signed.slice(dot + 1));
    let valid = false;
    for (const secret of this.secrets) {
      const expected = Buffer.from(digest(value, secret));
      if (expected.length === signature.length && timingSafeEqual(expected, signature)) valid = true;
    }
    return valid ? value : undefined;
  }
}

function digest(value: string, secret: string): string {
  return createHmac('sha256', secret).update(value).digest('base64').replace(/=+$/, '');
}

/**
 * The signed value of the cookie `name` for `payload`: `<payload>.<signature>`,
 * where the signature covers `<name>=<payload>`, so that a value signed with
 * the same key for another cookie name is no value of this one. The key is
 * never the app's own (a secret of the storage's, or keys derived from the
 * app's: `messagesSignerOf()`), so neither is this value one of the app's
 * cookies.
 * @internal
 */
export function sealCookieValue(signer: CookieSignerLike, name: string, payload: string): string {
  return signer.sign(`${name}=${payload}`).slice(`${SIGNED}${name}=`.length);
}

/** The payload of a value `sealCookieValue()` made for the cookie `name`; `undefined` when its signature does not verify. @internal */
export function openCookieValue(signer: CookieSignerLike, name: string, value: string): string | undefined {
  const unsigned = signer.unsign(`${name}=${value}`);
  const prefix = `${name}=`;
  return unsigned?.startsWith(prefix) ? unsigned.slice(prefix.length) : undefined;
}

/**
 * What the keys of the messages cookie are derived from, by the app's
 * secrets: an HMAC of it under each. Never a cookie's value (it is signed
 * here, not for a visitor), so the keys are known only to the server.
 */
const KEY_LABEL = 'nestjs-ajax\u0000CookieMessageStorage key';

/**
 * A signer for the messages cookie made from the app's cookie signer, with
 * keys of its own: for each of the app's secrets, their HMAC of a label of
 * the module's (the first signs, any verifies, as the app's do). Signing
 * with the app's signer itself would make each messages cookie a signed
 * value the app accepts for any cookie of its own (`@SignedCookies('uid')`
 * given `s:nestjs-ajax.messages=…`). The secrets are read from the signer
 * where it shows them (Nest's `CookieSigner`); otherwise the key is the
 * signer's own signature of the label, under its first secret only, and a
 * messages cookie then no longer verifies once the app turns to another.
 * @internal
 */
export function messagesSignerOf(app: CookieSignerLike): CookieSignerLike {
  const secrets = (app as { secrets?: unknown }).secrets;
  if (Array.isArray(secrets) && secrets.length > 0 && secrets.every((secret) => typeof secret === 'string' && secret !== '')) {
    return new HmacCookieSigner(secrets.map((secret: string) => digest(KEY_LABEL, secret)));
  }
  return new HmacCookieSigner([app.sign(KEY_LABEL).slice(`${SIGNED}${KEY_LABEL}.`.length)]);
}

/**
 * Whether a signer signs in the format `sealCookieValue()` reads (checked
 * once, at start-up, of a signer the app brings).
 * @internal
 */
export function signsAsExpected(signer: CookieSignerLike): boolean {
  const probe = 'nestjs-ajax=probe';
  const signed = signer.sign(probe);
  return typeof signed === 'string' && signed.startsWith(`${SIGNED}${probe}.`) && signer.unsign(signed) === probe;
}
