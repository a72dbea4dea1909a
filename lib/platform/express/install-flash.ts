import { AjaxConfigurationError } from '../../ajax.errors.js';
import { connectFlash } from '../../messages/connect-flash.js';
import type { ResolvedMessagesOptions } from '../../options/resolve-ajax-options.js';

/**
 * Express's way to give requests the module's `req.flash()` (the `flash`
 * option): one function on the app's request prototype, which every request
 * inherits, rather than a middleware setting it on each request.
 *
 * connect-flash, left registered, sees it and leaves it alone. A middleware
 * that would replace it (connect-flash with `unsafe: true`) would send the
 * messages where no JSON response finds them, so the replacement throws,
 * saying so; one already on the prototype fails the start-up.
 * @internal
 */
export function installExpressFlash(requestPrototype: object, settings: ResolvedMessagesOptions): void {
  if ('flash' in requestPrototype) {
    throw new AjaxConfigurationError(
      'AjaxModule option "flash" gives every request a connect-flash-compatible req.flash(), and this Express app\'s requests already have one. ' +
        'Remove what installs the other (the module\'s takes its place, and its messages reach JSON responses), or leave flash out.',
    );
  }
  const flash = connectFlash(settings);
  Object.defineProperty(requestPrototype, 'flash', {
    configurable: true,
    get: () => flash,
    set() {
      throw new AjaxConfigurationError(
        'A middleware replaced req.flash(), which AjaxModule option "flash" installs: its messages would never reach a JSON response. ' +
          'Remove that middleware (connect-flash registered with unsafe: true?); the module\'s req.flash() is connect-flash-compatible.',
      );
    },
  });
}
