import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { messagesParam, MessagesPipe } from '../messages/messages.pipe.js';

const MessagesParamDecorator = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  messagesParam(context.switchToHttp().getRequest()),
);

/**
 * Injects this request's messages (`RequestMessages`): the same API and the
 * same pending messages as `MessagesService`, without making the controller
 * request-scoped.
 *
 * @example
 * @Post('vote')
 * @Ajax({ requirePost: true })
 * vote(@Messages() messages: RequestMessages) {
 *   messages.success('Vote recorded.');
 *   return { votes: 3 };
 * }
 */
export function Messages(): ParameterDecorator {
  return MessagesParamDecorator(undefined, MessagesPipe);
}
