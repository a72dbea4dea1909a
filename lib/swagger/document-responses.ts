import { DECORATORS } from '@nestjs/swagger';
import type { RouteHandler } from '../route-handlers.js';
import { AjaxMessage } from './ajax-api.models.js';
import type { AjaxResponsesPlan } from './ajax-responses-plan.js';
import { errorModel, errorResponses, type ResponseEntry } from './error-responses.js';
import { isSuccessStatus, messagesMember, withMessages } from './success-messages.js';

/**
 * The entries this module wrote and nobody changed since: the only ones a
 * later plan for the same handler (its controller's `ApiAjaxResponses()`)
 * may replace or remove. An app's own entry for a status is never touched;
 * `@ApiResponse()` merging into one of these makes it the app's.
 */
const OWN_ENTRIES = new WeakSet<object>();

/**
 * Writes into a handler's `@nestjs/swagger` metadata what `@Ajax()` with
 * this plan can answer: the error responses (see `errorResponses()`) where
 * the app documents none of its own for the status, and the pending
 * `messages` on each success response already documented (see
 * `withMessages()`), or on a `2XX` one when none is. Running it again with
 * another plan leaves what one run with that plan leaves.
 * @internal
 */
export function documentAjaxResponses(handler: RouteHandler, plan: AjaxResponsesPlan): void {
  let responses: Record<string, ResponseEntry> = { ...(Reflect.getMetadata(DECORATORS.API_RESPONSE, handler) as Record<string, ResponseEntry> | undefined) };
  const errors = errorResponses(plan, handler);
  for (const [status, entry] of Object.entries(responses)) {
    if (OWN_ENTRIES.has(entry) && !(status in errors)) delete responses[status];
  }
  for (const [status, entry] of Object.entries(errors)) {
    const current = responses[status];
    if (current !== undefined && !OWN_ENTRIES.has(current)) continue;
    OWN_ENTRIES.add(entry);
    responses[status] = entry;
  }
  const models: Array<new (...args: never[]) => unknown> = [AjaxMessage, errorModel(plan.errorFormat).model];
  const successes = Object.keys(responses).filter(isSuccessStatus);
  for (const status of successes) {
    const wrapped = withMessages(responses[status]);
    responses[status] = wrapped.entry;
    models.push(...wrapped.models);
  }
  // An operation documented with errors only would lose @nestjs/swagger's default success response.
  if (successes.length === 0) {
    responses = { '2XX': { description: 'Success; an answer that is a JSON object carries the pending messages.', schema: messagesMember() }, ...responses };
  }
  Reflect.defineMetadata(DECORATORS.API_RESPONSE, responses, handler);
  const extraModels = (Reflect.getMetadata(DECORATORS.API_EXTRA_MODELS, handler) as unknown[] | undefined) ?? [];
  Reflect.defineMetadata(DECORATORS.API_EXTRA_MODELS, [...new Set([...extraModels, ...models])], handler);
}
