import { AJAX_OPTION_KEYS, type AjaxOptions, checkedAjaxMethods } from '../decorators/ajax-options.js';
import { type AllowedMethods, allowedMethods } from '../decorators/allow-methods.decorator.js';
import { AjaxConfigurationError, describeValue } from '../ajax.errors.js';
import type { AjaxErrorFormat } from '../options/ajax-module-options.interface.js';

/** The shapes of the module's error answers, as `AjaxModule.forRoot()`'s `errorFormat` chooses them: the main entry's very type. */
export type { AjaxErrorFormat };

/** Options of `ApiAjaxResponses()`: those of `@Ajax()`, and the app's error format. */
export interface ApiAjaxResponsesOptions extends AjaxOptions {
  /**
   * The shape of the app's errors, as `AjaxModule.forRoot()`'s `errorFormat`
   * sets it: `'ajax'` documents `AjaxErrorBody` as `application/json`,
   * `'problem+json'` documents `AjaxProblemDetails` (RFC 9457) as
   * `application/problem+json`. Default: `'ajax'`.
   */
  errorFormat?: AjaxErrorFormat;
}

/** What `ApiAjaxResponses()` documents of one route, its options checked. @internal */
export interface AjaxResponsesPlan {
  loginRequired?: boolean;
  allowed?: AllowedMethods;
  errorFormat?: AjaxErrorFormat;
}

const DECORATOR = '@ApiAjaxResponses()';
const OPTION_KEYS = [...AJAX_OPTION_KEYS, 'errorFormat'];
const ERROR_FORMATS: readonly unknown[] = ['ajax', 'problem+json'] satisfies AjaxErrorFormat[];

/**
 * Checks the options as `@Ajax()` checks its own, and `errorFormat`: a
 * mistake throws an `AjaxConfigurationError` when the class is decorated.
 * @internal
 */
export function ajaxResponsesPlan(options: ApiAjaxResponsesOptions): AjaxResponsesPlan {
  const methods = checkedAjaxMethods(options, DECORATOR, OPTION_KEYS);
  if (options.errorFormat !== undefined && !ERROR_FORMATS.includes(options.errorFormat)) {
    throw new AjaxConfigurationError(`${DECORATOR} option "errorFormat" must be 'ajax' or 'problem+json'; got ${describeValue(options.errorFormat)}.`);
  }
  return {
    loginRequired: options.loginRequired,
    allowed: methods && allowedMethods(methods, DECORATOR),
    errorFormat: options.errorFormat,
  };
}

/**
 * A handler's plan under its controller's, option by option, as `@Ajax()`'s
 * metadata is read (`getAllAndOverride`): what the handler sets wins, what it
 * leaves out comes from the controller.
 * @internal
 */
export function handlerOverController(handler: AjaxResponsesPlan | undefined, controller: AjaxResponsesPlan): AjaxResponsesPlan {
  return {
    loginRequired: handler?.loginRequired ?? controller.loginRequired,
    allowed: handler?.allowed ?? controller.allowed,
    errorFormat: handler?.errorFormat ?? controller.errorFormat,
  };
}
