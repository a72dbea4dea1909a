import { AjaxConfigurationError, describeValue } from '../ajax.errors.js';

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

/** The keys of `AjaxOptions`. @internal */
export const AJAX_OPTION_KEYS: readonly string[] = ['loginRequired', 'requirePost', 'requireGet', 'methods'];

/**
 * Checks the options of `@Ajax()`, or of a decorator that takes them too
 * (`ApiAjaxResponses()`, with keys of its own in `knownKeys`), and returns
 * the methods they restrict the route to. Throws an `AjaxConfigurationError`
 * naming `decorator` when they make no sense, so a mistake fails when the
 * class is decorated.
 * @internal
 */
export function checkedAjaxMethods(options: AjaxOptions, decorator: string, knownKeys: readonly string[] = AJAX_OPTION_KEYS): string[] | undefined {
  if (typeof options !== 'object' || options === null) {
    throw new AjaxConfigurationError(`${decorator} takes an options object such as { loginRequired: true }; got ${describeValue(options)}.`);
  }
  for (const key of Object.keys(options)) {
    if (!knownKeys.includes(key)) {
      throw new AjaxConfigurationError(`${decorator} has no option "${key}". Known options: ${knownKeys.join(', ')}.`);
    }
  }
  for (const key of ['loginRequired', 'requirePost', 'requireGet'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'boolean') {
      throw new AjaxConfigurationError(`${decorator} option "${key}" must be true or false; got ${describeValue(options[key])}.`);
    }
  }
  const chosen = [options.requirePost && 'requirePost', options.requireGet && 'requireGet', options.methods && 'methods'].filter(Boolean);
  if (chosen.length > 1) {
    throw new AjaxConfigurationError(
      `${decorator} options ${chosen.join(' and ')} cannot be combined; list every accepted method in one, e.g. { methods: ['GET', 'POST'] }.`,
    );
  }
  if (options.methods !== undefined && !Array.isArray(options.methods)) {
    throw new AjaxConfigurationError(`${decorator} option "methods" must be an array such as ['PUT', 'PATCH']; got ${describeValue(options.methods)}.`);
  }
  if (options.requirePost) return ['POST'];
  if (options.requireGet) return ['GET'];
  return options.methods;
}
