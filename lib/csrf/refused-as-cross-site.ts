import type { AjaxRequest } from '../ajax-request.interface.js';
import { crossOriginFacts, crossOriginVerdict } from './cross-origin-verdict.js';

const NO_TRUSTED_ORIGINS: ReadonlySet<string> = new Set();

/**
 * Whether this 403 answers a cross-site request the way a forged one is
 * answered (the module's refusal, or Nest's `app.enableCsrfProtection()`):
 * such an answer must leave the visitor's messages pending, or a page on
 * another site could have them taken (never read: the browser keeps the body
 * from it) just by sending requests in the visitor's name.
 * @internal
 */
export function refusedAsCrossSite(status: number, req: AjaxRequest, trustedOrigins: ReadonlySet<string> | undefined): boolean {
  return status === 403 && !crossOriginVerdict(crossOriginFacts(req), trustedOrigins ?? NO_TRUSTED_ORIGINS).allowed;
}
