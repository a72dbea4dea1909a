import { applyDecorators, SetMetadata, UseFilters, UseGuards } from '@nestjs/common';
import { ALLOW_ANONYMOUS_KEY } from '../ajax.constants.js';
import { AjaxConfigurationError, describeValue } from '../ajax.errors.js';
import { AjaxExceptionFilter } from '../filters/ajax-exception.filter.js';
import { AjaxGuard } from '../guards/ajax.guard.js';
import { AllowAnonymous } from './allow-anonymous.decorator.js';
import { AllowMethods } from './allow-methods.decorator.js';

/** Options of `@Ajax()`, named after django-ajaxutils' `@ajax(...)`. */
export interface AjaxOptions {
  /**
   * `true`: anonymous visitors get 401 (`AjaxAuthGuard`), even under a
   * controller-wide `@AllowAnonymous()`. `false`: anonymous visitors pass even
   * a controller-wide `AjaxAuthGuard` (`@AllowAnonymous()`).
   * Left out: no login check of its own.
   */
  loginRequired?: boolean;
  /** Accept POST only (`@RequirePost()`). */
  requirePost?: boolean;
  /** Accept GET and HEAD only (`@RequireGet()`). */
  requireGet?: boolean;
  /** Accept these methods only (`@AllowMethods(...)`). */
  methods?: string[];
}

const OPTION_KEYS = ['loginRequired', 'requirePost', 'requireGet', 'methods'];

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
  const methods = methodsOf(options);
  const decorators: Array<ClassDecorator | MethodDecorator> = [];
  // Written either way, so that a handler's choice beats its controller's @AllowAnonymous().
  if (options.loginRequired !== undefined) decorators.push(options.loginRequired ? SetMetadata(ALLOW_ANONYMOUS_KEY, false) : AllowAnonymous());
  if (methods) decorators.push(AllowMethods(...methods));
  decorators.push(UseGuards(AjaxGuard), UseFilters(AjaxExceptionFilter));
  return applyDecorators(...decorators);
}

/** The methods the options restrict the route to, after checking that they make sense together. */
function methodsOf(options: AjaxOptions): string[] | undefined {
  if (typeof options !== 'object' || options === null) {
    throw new AjaxConfigurationError(`@Ajax() takes an options object such as { loginRequired: true }; got ${describeValue(options)}.`);
  }
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.includes(key)) {
      throw new AjaxConfigurationError(`@Ajax() has no option "${key}". Known options: ${OPTION_KEYS.join(', ')}.`);
    }
  }
  for (const key of ['loginRequired', 'requirePost', 'requireGet'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'boolean') {
      throw new AjaxConfigurationError(`@Ajax() option "${key}" must be true or false; got ${describeValue(options[key])}.`);
    }
  }
  const chosen = [options.requirePost && 'requirePost', options.requireGet && 'requireGet', options.methods && 'methods'].filter(Boolean);
  if (chosen.length > 1) {
    throw new AjaxConfigurationError(
      `@Ajax() options ${chosen.join(' and ')} cannot be combined; list every accepted method in one, e.g. { methods: ['GET', 'POST'] }.`,
    );
  }
  if (options.methods !== undefined && !Array.isArray(options.methods)) {
    throw new AjaxConfigurationError(`@Ajax() option "methods" must be an array such as ['PUT', 'PATCH']; got ${describeValue(options.methods)}.`);
  }
  if (options.requirePost) return ['POST'];
  if (options.requireGet) return ['GET'];
  return options.methods;
}
