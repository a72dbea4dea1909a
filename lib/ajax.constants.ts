/**
 * Injection token of the module's resolved options (`ResolvedAjaxOptions`).
 * Namespaced so it cannot collide with an application's own tokens.
 * @internal
 */
export const AJAX_OPTIONS = 'AJAX:MODULE_OPTIONS';

/** Metadata key written by `@AllowAnonymous()`. @internal */
export const ALLOW_ANONYMOUS_KEY = 'ajax:allow-anonymous';

/** Metadata key written by `@AllowMethods()`, `@RequirePost()` and `@RequireGet()`. @internal */
export const ALLOWED_METHODS_KEY = 'ajax:allowed-methods';
