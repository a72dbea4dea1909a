import { Buffer } from 'node:buffer';
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

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
 * derived from a secret (`messagesKeyOf()`), never the secret itself, so the
 * value is no signed value of the app's either, even where the storage's
 * secret is also the app's.
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
 * The key the messages cookie is signed with for a secret, the storage's own
 * or the app's: HKDF-SHA256 (RFC 5869) of the secret, with a salt and a label
 * of the module's, in base64. Never the secret itself, nor an HMAC of some
 * text under it: either is what a cookie signer with the same secret
 * computes (the app's, cookie-parser's, `@fastify/cookie`'s), so a messages
 * cookie would be a signed value of the app's, and the app's signature of a
 * value a visitor chose would sign messages cookies. HKDF's first step keys
 * its HMAC with the salt, which no cookie signer does. Changing the salt or
 * the label makes every messages cookie in browsers unreadable once.
 * @internal
 */
export function messagesKeyOf(secret: string): string {
  return Buffer.from(hkdfSync('sha256', secret, 'nestjs-ajax', 'CookieMessageStorage key', 32)).toString('base64');
}

/**
 * A signer for the messages cookie made from the app's cookie signer, with
 * keys of its own, one per secret of the app's (`messagesKeyOf()`: the first
 * signs, any verifies, as the app's secrets do). Signing with the app's signer itself would make each
 * messages cookie a signed value the app accepts for any cookie of its own
 * (`@SignedCookies('uid')` given `s:nestjs-ajax.messages=…`). `undefined`
 * where the signer does not show its secrets (Nest's `CookieSigner` does):
 * no key of the module's own can then be made from them.
 * @internal
 */
export function messagesSignerOf(app: CookieSignerLike): CookieSignerLike | undefined {
  const secrets = (app as { secrets?: unknown }).secrets;
  if (!Array.isArray(secrets) || secrets.length === 0 || !secrets.every((secret) => typeof secret === 'string' && secret !== '')) return undefined;
  return new HmacCookieSigner(secrets.map((secret: string) => messagesKeyOf(secret)));
}
