import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA } from '@nestjs/common/constants.js';
import { getSchemaPath } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';
import { reasonPhrase } from '../filters/reason-phrase.js';
import type { RouteHandler } from '../route-handlers.js';
import { AjaxErrorBody, AjaxProblemDetails } from './ajax-api.models.js';
import type { AjaxErrorFormat, AjaxResponsesPlan } from './ajax-responses-plan.js';

/** A response as `@ApiResponse()` records it in a handler's metadata, under its status. @internal */
export type ResponseEntry = Record<string, unknown>;

/** Methods the cross-site check never refuses (see `crossOriginRefusal()`). */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const SAFE_ROUTES = new Set<unknown>([RequestMethod.GET, RequestMethod.HEAD, RequestMethod.OPTIONS]);

const CROSS_SITE_REFUSAL = 'Cross-site request refused: Sec-Fetch-Site is "cross-site" and https://elsewhere.example is not a trusted origin.';

/** The model and media type of an error in each format. @internal */
export function errorModel(format: AjaxErrorFormat | undefined): { model: typeof AjaxErrorBody | typeof AjaxProblemDetails; mediaType: string } {
  return format === 'problem+json'
    ? { model: AjaxProblemDetails, mediaType: 'application/problem+json' }
    : { model: AjaxErrorBody, mediaType: 'application/json' };
}

/**
 * The error responses `@Ajax()` with this plan can give, by status: 401
 * (with `WWW-Authenticate`) when it requires a log-in, 403 unless the route
 * takes only safe methods, 405 (with `Allow`) when it restricts the methods,
 * and every other 4xx and 5xx, all with the module's error body.
 * @internal
 */
export function errorResponses(plan: AjaxResponsesPlan, handler: RouteHandler): Record<string, ResponseEntry> {
  const responses: Record<string, ResponseEntry> = {};
  if (plan.loginRequired === true) {
    responses[401] = {
      description: 'Not signed in: the route requires a log-in.',
      headers: { 'WWW-Authenticate': { description: "The challenge, AjaxModule's `wwwAuthenticate` (default `Session`).", schema: { type: 'string', example: 'Session' } } },
      content: errorContent(plan.errorFormat, 401),
    };
  }
  if (!takesOnlySafeMethods(plan, handler)) {
    responses[403] = {
      description: 'A cross-site request with an unsafe method (POST, PUT, PATCH, DELETE…), refused as a CSRF risk.',
      content: errorContent(plan.errorFormat, 403, CROSS_SITE_REFUSAL),
    };
  }
  if (plan.allowed) {
    responses[405] = {
      description: 'A method the route does not accept.',
      headers: { Allow: { description: 'The methods the route accepts.', schema: { type: 'string', example: plan.allowed.allowHeader } } },
      content: errorContent(plan.errorFormat, 405),
    };
  }
  responses['4XX'] = { description: 'Any other client error, such as a failed validation (400) or a missing resource (404).', content: errorContent(plan.errorFormat) };
  responses['5XX'] = {
    description: 'A server error, its cause never shown; 503 when the pending messages cannot be read.',
    content: errorContent(plan.errorFormat),
  };
  return responses;
}

/**
 * Whether no request can reach the route's cross-site check with an unsafe
 * method: the options accept only safe ones, or the route is a `@Get()`,
 * `@Head()` or `@Options()` one. A method decorator sees the route's own
 * decorator only when that one is written below it (decorators apply bottom-up);
 * a class decorator always does.
 */
function takesOnlySafeMethods(plan: AjaxResponsesPlan, handler: RouteHandler): boolean {
  if (plan.allowed) return plan.allowed.methods.every((method) => SAFE_METHODS.has(method));
  return SAFE_ROUTES.has(Reflect.getMetadata(METHOD_METADATA, handler));
}

function errorContent(format: AjaxErrorFormat | undefined, status?: number, message?: string): Record<string, unknown> {
  const { model, mediaType } = errorModel(format);
  const schema = { $ref: getSchemaPath(model) };
  return { [mediaType]: status === undefined ? { schema } : { schema, example: errorExample(format, status, message) } };
}

/** The body the module sends for this status, in this format. */
function errorExample(format: AjaxErrorFormat | undefined, status: number, message?: string): Record<string, unknown> {
  if (format === 'problem+json') return { type: 'about:blank', title: STATUS_CODES[status], status, ...(message && { detail: message }) };
  return { status: 'error', error: reasonPhrase(status), ...(message && { message }) };
}
