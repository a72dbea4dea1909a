/**
 * Injection token of the module's resolved options (`ResolvedAjaxOptions`).
 * Namespaced so it cannot collide with an application's own tokens.
 * @internal
 */
export const AJAX_OPTIONS = 'AJAX:MODULE_OPTIONS';

/**
 * Token only `forRoot()`'s module provides, and never exports: an `AjaxModule`
 * instance that cannot see it is the class imported alone. @internal
 */
export const AJAX_ROOT = 'AJAX:MODULE_ROOT';

/**
 * `forRoot()`'s `MessagesService`, exported under a second name so that the
 * class imported alone can hand out that very instance. @internal
 */
export const ROOT_MESSAGES_SERVICE = 'AJAX:ROOT_MESSAGES_SERVICE';

/** Metadata key written by `@AllowAnonymous()`. @internal */
export const ALLOW_ANONYMOUS_KEY = 'ajax:allow-anonymous';

/** Metadata key written by `@AllowMethods()`, `@RequirePost()` and `@RequireGet()`. @internal */
export const ALLOWED_METHODS_KEY = 'ajax:allowed-methods';

/**
 * Metadata key on a controller method whose every route requires a log-in,
 * written at start-up before Nest registers the routes (Nest then copies it
 * onto the function the platform calls). @internal
 */
export const LOGIN_REQUIRED_ROUTE_KEY = 'ajax:login-required-route';

/**
 * The tag of a controller method with the methods its routes accept, where
 * they accept fewer than they are registered for (`tagAllowedMethodRoutes()`),
 * written as `LOGIN_REQUIRED_ROUTE_KEY` is. @internal
 */
export const ALLOWED_METHODS_ROUTE_KEY = 'ajax:allowed-methods-route';
