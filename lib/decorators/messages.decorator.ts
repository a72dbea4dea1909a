import { createParamDecorator, type ExecutionContext, UseFilters } from '@nestjs/common';
import { messagesOfRequest } from '../messages/per-request-messages.js';
import { MessagesStartUpCheck } from './messages-start-up-check.js';

const MessagesParamDecorator = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  messagesOfRequest(context.switchToHttp().getRequest()),
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
  const param = MessagesParamDecorator();
  return (target, key, index) => {
    param(target, key, index);
    // The method's own filters: a start-up check that costs its requests nothing (see MessagesStartUpCheck).
    const descriptor = key === undefined ? undefined : Object.getOwnPropertyDescriptor(target, key);
    if (descriptor && typeof descriptor.value === 'function') UseFilters(MessagesStartUpCheck)(target, key!, descriptor);
  };
}
