import { ALLOW_ANONYMOUS_KEY } from '../ajax.constants.js';
import { setMetadataOnce } from './set-metadata-once.js';

/**
 * Lets anonymous visitors through `AjaxAuthGuard`, on one handler or a whole
 * controller (a handler's setting wins over its controller's).
 *
 * With `@Ajax({ loginRequired: true })` on the same handler or controller it
 * throws an `AjaxConfigurationError` when the class is decorated: the two
 * contradict each other.
 *
 * @example
 * @UseGuards(AjaxAuthGuard)
 * @Controller('polls')
 * export class PollsController {
 *   @Get()
 *   @AllowAnonymous()
 *   list() { return { polls: [] }; }
 * }
 */
export const AllowAnonymous = (): MethodDecorator & ClassDecorator => anonymousAccess(true);

/**
 * Writes whether anonymous visitors pass (`true`: `@AllowAnonymous()` or
 * `@Ajax({ loginRequired: false })`; `false`: `@Ajax({ loginRequired: true })`),
 * refusing a contradiction on the same target.
 * @internal
 */
export function anonymousAccess(allowed: boolean): MethodDecorator & ClassDecorator {
  return setMetadataOnce<boolean>(
    ALLOW_ANONYMOUS_KEY,
    allowed,
    (existing, value) => existing === value,
    (_existing, where) =>
      `@Ajax({ loginRequired: true }) and @AllowAnonymous() (or @Ajax({ loginRequired: false })) are both on ${where}: ` +
      'one refuses anonymous visitors and the other lets them in, and which one wins would depend on their order. Keep one of them. ' +
      '(To open one handler of a controller that requires a log-in, put @AllowAnonymous() on the handler and @Ajax({ loginRequired: true }) on the controller.)',
  );
}
