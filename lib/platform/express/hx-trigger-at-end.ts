import type { AjaxRequest } from '../../ajax-request.interface.js';
import {
  headerReachesPage,
  messagesOwedInHeader,
  oweMessagesInHeader,
  settleMessagesInBody,
  wantsMessagesInHeader,
} from '../../messages/htmx/htmx-request.js';
import { putMessagesInHeader } from '../../messages/htmx/messages-in-header.js';
import type { ResolvedAjaxOptions } from '../../options/resolve-ajax-options.js';
import type { HttpPlatform } from '../http-platform.interface.js';

interface EndingResponse {
  headersSent: boolean;
  statusCode: number;
  end: (...args: unknown[]) => unknown;
}

/**
 * Express's way to give an htmx request its messages in `HX-Trigger`: an
 * answer that is not JSON (`res.send()` of an HTML fragment, a string or
 * nothing, `res.render()`, `res.sendStatus()`, a redirect) goes out through
 * `res.end()`, before which its headers have not been sent. So this
 * response's `res.end()` takes the messages (waiting for the storage when it
 * answers later, as Redis does), sets the header, then ends; unless a JSON
 * body has taken them meanwhile (`takeJsonMessages()`), the answer is a
 * redirect, a 304 or a HEAD (`headerReachesPage()`), or the headers went out
 * with the first `res.write()`. express-session, which saves the session in
 * its own `res.end()`, wrapped it before any route ran, so the session is
 * saved after the messages are taken.
 *
 * Only for htmx requests, once per response: any other request pays one
 * header read.
 * @internal
 */
export function deliverInHeaderAtEnd(platform: HttpPlatform, req: AjaxRequest, res: object, options: ResolvedAjaxOptions): void {
  if (!wantsMessagesInHeader(req, options) || !oweMessagesInHeader(req)) return;
  const response = res as EndingResponse;
  const end = response.end;
  response.end = function endWithMessagesInHeader(this: EndingResponse, ...args: unknown[]): unknown {
    response.end = end;
    if (!messagesOwedInHeader(req)) return end.apply(response, args);
    settleMessagesInBody(req);
    if (response.headersSent || !headerReachesPage(req.method, response.statusCode)) return end.apply(response, args);
    const put = putMessagesInHeader(platform, req, response, options);
    if (!(put instanceof Promise)) return end.apply(response, args);
    void put.then(() => end.apply(response, args));
    return response;
  };
}
