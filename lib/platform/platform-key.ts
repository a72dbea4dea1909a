/**
 * Where an app's requests and responses find their platform: a property of
 * their prototypes, set once at start-up by the platform's `install()`, so
 * each request reads it for the price of one property look-up, and two apps
 * of one process (one on each platform) never mix.
 * @internal
 */
export const PLATFORM = Symbol('nestjs-ajax:platform');

/**
 * Where an app's requests find the app's `AjaxModule` options: beside
 * `PLATFORM`, on their prototypes, so that `@Messages()` reads them from the
 * request it is handed, for the price of one look-up (see `appOptionsOf()`).
 * `Symbol.for`: in a process that loaded both builds of the package, one
 * build's `@Messages()` must find the options the other build's module set
 * up, as its `MessagesPipe` did through Nest's injector.
 * @internal
 */
export const APP_OPTIONS = Symbol.for('nestjs-ajax:app-options');
