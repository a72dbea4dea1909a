import { createParamDecorator, type ExecutionContext, UseFilters } from '@nestjs/common';
import { httpRequest } from '../http-arguments.js';
import { messagesOfRequest } from '../messages/per-request-messages.js';
import { MessagesStartUpCheck } from './messages-start-up-check.js';

const MessagesParamDecorator = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  messagesOfRequest(httpRequest(context)),
);

/**
 * Injects this request's messages (`RequestMessages`): the same API and the
 * same pending messages as `MessagesService`, without making the controller
 * request-scoped. It also puts a start-up check on the controller class
 * (`MessagesStartUpCheck`, an exception filter that catches nothing), so
 * that a module that cannot see `AjaxModule.forRoot()` fails the start-up.
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
    // On the class, not the method: a method decorator that wraps the handler would drop the method's own metadata.
    const controller = (typeof target === 'function' ? target : target.constructor) as new (...args: never[]) => unknown;
    if (checked.has(controller)) return;
    checked.add(controller);
    UseFilters(MessagesStartUpCheck)(controller);
  };
}

/** The controllers that already have the start-up check (see MessagesStartUpCheck): one is enough per class. */
const checked = new WeakSet<object>();
