import { SetMetadata } from '@nestjs/common';
import { ALLOW_ANONYMOUS_KEY } from '../ajax.constants.js';

/**
 * Lets anonymous visitors through `AjaxAuthGuard`, on one handler or a whole
 * controller (a handler's setting wins over its controller's).
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
export const AllowAnonymous = (): MethodDecorator & ClassDecorator => SetMetadata(ALLOW_ANONYMOUS_KEY, true);
