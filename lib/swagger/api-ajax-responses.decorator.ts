import { routeHandlers, type RouteHandler } from '../route-handlers.js';
import { ajaxResponsesPlan, type AjaxResponsesPlan, type ApiAjaxResponsesOptions, handlerOverController } from './ajax-responses-plan.js';
import { documentAjaxResponses } from './document-responses.js';

/** The plan a handler's own `ApiAjaxResponses()` gave, for its controller's to go under. */
const HANDLER_PLAN_KEY = 'ajax:api-ajax-responses';

/**
 * Documents, in the OpenAPI document `SwaggerModule.createDocument()` builds,
 * what `@Ajax(options)` can answer; give it the options given to `@Ajax()`.
 *
 * - 401 with a `WWW-Authenticate` header when `loginRequired`;
 * - 403 for a cross-site request with an unsafe method, unless the route
 *   takes only GET, HEAD or OPTIONS;
 * - 405 with an `Allow` header when `requirePost`, `requireGet` or `methods`
 *   restrict the methods;
 * - `4XX` and `5XX`: every other error, with the same body (`AjaxErrorBody`
 *   as `application/json`, or `AjaxProblemDetails` as
 *   `application/problem+json` with `errorFormat: 'problem+json'`);
 * - the pending `messages` on the success responses: each one documented
 *   with an object schema becomes `allOf: [its schema, { messages }]`, and
 *   without any, a `2XX` response documents the `messages` alone.
 *
 * A status the app documents itself keeps the app's response. On a method,
 * write it above the `@Api…Response()` decorators it completes: decorators
 * apply bottom-up, so it sees only those below it. On a controller it sees
 * every route's, and documents each route, a route's own `ApiAjaxResponses()`
 * options winning over the controller's one by one, as `@Ajax()`'s do.
 * Wrong options throw an `AjaxConfigurationError` when the class is decorated.
 *
 * @example
 * @Post('polls/:id/vote')
 * @Ajax({ loginRequired: true, requirePost: true })
 * @ApiAjaxResponses({ loginRequired: true, requirePost: true })
 * @ApiCreatedResponse({ type: VoteResult })
 * vote() { … }
 */
export function ApiAjaxResponses(options: ApiAjaxResponsesOptions = {}): MethodDecorator & ClassDecorator {
  const plan = ajaxResponsesPlan(options);
  return ((target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    if (descriptor) {
      const handler = descriptor.value as RouteHandler;
      Reflect.defineMetadata(HANDLER_PLAN_KEY, plan, handler);
      documentAjaxResponses(handler, plan);
      return descriptor;
    }
    for (const handler of routeHandlers((target as { prototype: object }).prototype)) {
      const own = Reflect.getMetadata(HANDLER_PLAN_KEY, handler) as AjaxResponsesPlan | undefined;
      documentAjaxResponses(handler, handlerOverController(own, plan));
    }
    return target;
  }) as MethodDecorator & ClassDecorator;
}
