/**
 * nestjs-ajax/swagger: the OpenAPI documentation of what `@Ajax()` answers,
 * for `@nestjs/swagger` (an optional peer, loaded by this entry only; the
 * main entry never loads it). This file is the whole public surface of the entry.
 */
export { ApiAjaxResponses } from './api-ajax-responses.decorator.js';
export type { AjaxErrorFormat, ApiAjaxResponsesOptions } from './ajax-responses-plan.js';
export { AjaxErrorBody, AjaxMessage, AjaxProblemDetails } from './ajax-api.models.js';
