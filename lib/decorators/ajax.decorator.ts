import { applyDecorators, UseFilters, UseGuards } from '@nestjs/common';
import { AjaxExceptionFilter } from '../filters/ajax-exception.filter.js';
import { AjaxGuard } from '../guards/ajax.guard.js';
import { type AjaxOptions, checkedAjaxMethods } from './ajax-options.js';
import { anonymousAccess } from './allow-anonymous.decorator.js';
import { AllowMethods } from './allow-methods.decorator.js';

export type { AjaxOptions } from './ajax-options.js';

/**
 * Makes a handler (or every handler of a controller) an AJAX endpoint, the
 * port of django-ajaxutils' `@ajax(login_required=True, require_POST=True)`.
 * In this order, it refuses cross-site unsafe requests (403, as
 * `AjaxCsrfGuard`), anonymous visitors when `loginRequired` (401, as
 * `AjaxAuthGuard`), and other methods than those it allows (405, as
 * `AjaxMethodGuard`), so an anonymous call to a POST-only view gets 401
 * whatever its method; then the pending messages ride on the JSON answer (as
 * `AjaxMessagesInterceptor`), and `AjaxExceptionFilter` renders every failure.
 * All of it runs in one guard and the filter, which costs less per request
 * than three guards and an interceptor.
 *
 * @example
 * @All('polls/:id/vote')
 * @Ajax({ loginRequired: true, requirePost: true })
 * vote(@Messages() messages: RequestMessages) {
 *   messages.success('Vote recorded.');
 *   return new AjaxResponse({ votes: 3 }, { success: true });
 * }
 */
export function Ajax(options: AjaxOptions = {}): MethodDecorator & ClassDecorator {
  const methods = checkedAjaxMethods(options, '@Ajax()');
  const decorators: Array<ClassDecorator | MethodDecorator> = [];
  // Written either way, so that a handler's choice beats its controller's @AllowAnonymous().
  if (options.loginRequired !== undefined) decorators.push(anonymousAccess(!options.loginRequired));
  if (methods) decorators.push(AllowMethods(...methods));
  decorators.push(UseGuards(AjaxGuard), UseFilters(AjaxExceptionFilter));
  return applyDecorators(...decorators);
}
