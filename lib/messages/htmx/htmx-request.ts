import type { AjaxRequest } from '../../ajax-request.interface.js';
import { fromAnotherSite } from '../../csrf/from-another-site.js';
import type { ResolvedAjaxOptions } from '../../options/resolve-ajax-options.js';
import { RequestSlot } from '../../request-slot.js';

/**
 * Whether a request comes from htmx (`HX-Request: true`), which swaps HTML
 * fragments into its page and reads no JSON body, and the app lets its
 * messages go in `HX-Trigger` (`messages.htmx`), and it comes from the app's
 * own pages (`fromAnotherSite()`: another site's page, which CORS let send
 * the header, takes no messages in a body, nor in a header). The one header
 * read that asking for delivery costs any other request.
 * @internal
 */
export function wantsMessagesInHeader(req: AjaxRequest, options: ResolvedAjaxOptions): boolean {
  return options.messages.htmx && req.headers['hx-request'] === 'true' && !fromAnotherSite(req, options.csrf);
}

/**
 * Whether the page that sent this request reads the headers of an answer of
 * this status: not those of a redirect (the browser follows it, and htmx sees
 * only the answer it ends on), a 304 (the browser shows its cached answer), a
 * 1xx, or an answer to HEAD, which htmx never sends. A 204's it does read,
 * and a 4xx's or 5xx's.
 * @internal
 */
export function headerReachesPage(method: string, status: number): boolean {
  return method !== 'HEAD' && status >= 200 && (status < 300 || status >= 400);
}

/** Whether an htmx request's answer still owes it the messages (see `oweMessagesInHeader()`). */
// Symbol.for: both builds of the package, loaded in one process, must see one request's mark alike.
const OWED = new RequestSlot<boolean>(Symbol.for('nestjs-ajax:messages-owed-in-hx-trigger'));

/**
 * Marks an htmx request whose answer carries the messages in `HX-Trigger`
 * unless a JSON body takes them first: for a platform that decides as the
 * answer ends (Express). True the first time only, so that the platform
 * prepares the answer once however many parts of the module ask.
 * @internal
 */
export function oweMessagesInHeader(req: AjaxRequest): boolean {
  if (OWED.get(req) !== undefined) return false;
  OWED.set(req, true);
  return true;
}

/** Whether the answer to this request still owes it the messages in `HX-Trigger`. @internal */
export function messagesOwedInHeader(req: AjaxRequest): boolean {
  return OWED.get(req) === true;
}

/**
 * The answer's body has taken the messages (a JSON object, the exception
 * filter's error body): nothing is owed in the header any more.
 * @internal
 */
export function settleMessagesInBody(req: AjaxRequest): void {
  if (OWED.get(req)) OWED.set(req, false);
}
