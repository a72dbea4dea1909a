import { AjaxConfigurationError } from '../../ajax.errors.js';
import { connectFlash } from '../../messages/connect-flash.js';
import type { ResolvedMessagesOptions } from '../../options/resolve-ajax-options.js';
import type { FastifyInstanceLike } from './fastify-reply.js';

/**
 * Fastify's way to give requests the module's `request.flash()` (the `flash`
 * option): a request decorator, one function every request inherits.
 *
 * `@fastify/flash` decorates the request with its own `flash()`, which keeps
 * messages in the session where no JSON response finds them; the two cannot
 * both be the request's. Registered before the module is set up, it fails the
 * start-up here, with what to do; registered after, Fastify itself refuses the
 * second decorator (`FST_ERR_DEC_ALREADY_PRESENT`).
 * @internal
 */
export function installFastifyFlash(instance: FastifyInstanceLike, settings: ResolvedMessagesOptions): void {
  if (instance.hasRequestDecorator('flash')) {
    throw new AjaxConfigurationError(
      'AjaxModule option "flash" decorates every request with a connect-flash-compatible request.flash(), and another plugin (@fastify/flash?) ' +
        'has decorated it already. Unregister that plugin (the module\'s request.flash() takes its place, and its messages reach JSON responses; ' +
        'read them with request.flash(type) rather than reply.flash()), or leave flash out.',
    );
  }
  instance.decorateRequest('flash', connectFlash(settings));
}
