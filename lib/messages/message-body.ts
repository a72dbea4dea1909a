import { Logger } from '@nestjs/common';
import type { AjaxRequest } from '../ajax-request.interface.js';
import { fromAnotherSite } from '../csrf/from-another-site.js';
import { isPlainObject } from '../is-plain-object.js';
import type { ResolvedAjaxOptions } from '../options/resolve-ajax-options.js';
import type { JsonMessage } from './ajax-message.interface.js';
import { responseHasBody, takeJsonMessages } from './deliver-messages.js';
import { isOwnWriteFailure } from './pending-writes.js';

const logger = new Logger('AjaxMessages');
let messagesKeyReported = false;

/** No messages: what an answer to another site's request carries. */
const NONE: readonly JsonMessage[] = Object.freeze([]);

/**
 * Whether a JSON answer can carry messages: a plain object, on a response
 * with a body, without a `messages` key or a `toJSON` of its own (whose
 * output is its own business). Any other answer leaves them pending.
 * @internal
 */
export function canCarryMessages(data: unknown, method: string, status: number): data is Record<string, unknown> {
  if (!isPlainObject(data) || !responseHasBody(method, status) || typeof data.toJSON === 'function') return false;
  if (Object.hasOwn(data, 'messages')) {
    if (!messagesKeyReported) {
      messagesKeyReported = true;
      logger.warn('A response body already has a "messages" key, so pending messages were left for a later response.');
    }
    return false;
  }
  return true;
}

/** The ways a JSON answer that can carry messages may go out. @internal */
export interface MessageCarrier {
  /** With the messages taken for it (none, possibly). */
  send(messages: readonly JsonMessage[]): unknown;
  /** Without them, as the storage failed: for an answer that reports an error already. */
  sendWithout(): unknown;
  /** The module's 503, as the storage failed on a success answer whose messages are then unknown. */
  sendUnavailable(): unknown;
}

/**
 * Takes the pending messages for an answer of this status and sends it with
 * them: synchronously when the storage is. Not every caller awaits the send
 * (Nest's own exception filter does not), so a storage failure is answered
 * here and the result never rejects.
 * @internal
 */
export function sendWithPendingMessages(req: AjaxRequest, status: number, options: ResolvedAjaxOptions, carrier: MessageCarrier): unknown {
  if (fromAnotherSite(req, options.csrf)) return carrier.send(NONE);
  const messages = takeJsonMessages(req, options.messages.storage);
  if (!(messages instanceof Promise)) return carrier.send(messages);
  return messages.then(
    (taken) => carrier.send(taken),
    (error: unknown) => {
      // A failed write of this request's own was logged as it happened.
      if (!isOwnWriteFailure(req, error)) logger.error(`Pending messages could not be taken for this answer: ${(error as Error)?.message ?? error}`);
      return status >= 400 ? carrier.sendWithout() : carrier.sendUnavailable();
    },
  );
}
