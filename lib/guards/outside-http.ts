import { type ExecutionContext, Logger } from '@nestjs/common';
import { httpRequest, httpResponse } from '../http-arguments.js';

const logger = new Logger('AjaxModule');
/** The context types each guard class has said it refused in, so that it says so once. */
const warned = new WeakMap<object, Set<string>>();

/** What the log says to do where a guard that can be given a request has none to check. @internal */
export const NO_REQUEST_FIX =
  "Leave the guard off the handlers of this transport, or subclass it with a getRequest() that gives it this transport's request " +
  '(an object with the headers and the user to check), as a guard that is global to the app must be.';

/**
 * The request a guard of the module checks: the HTTP request, or none in a
 * context that is not HTTP (a microservice, a WebSocket gateway, GraphQL).
 * There, `switchToHttp().getRequest()` would give the call's first argument:
 * a microservice's message payload, which the caller writes (a payload of
 * `{ headers: {}, user: 1 }` passed for a signed-in visitor), a WebSocket's
 * client socket, a resolver's parent value.
 * @internal
 */
export function httpRequestOf<T>(context: ExecutionContext): T | undefined {
  return context.getType() === 'http' ? httpRequest<T>(context) : undefined;
}

/** The HTTP response, or none in a context that is not HTTP (see `httpRequestOf()`). @internal */
export function httpResponseOf(context: ExecutionContext): object | undefined {
  return context.getType() === 'http' ? httpResponse(context) : undefined;
}

/**
 * A guard's answer where it has no HTTP request to check: the call passes
 * when the guard has nothing to check for this handler, and is refused
 * otherwise (fail closed; Nest answers as that transport answers a guard's
 * no), with a warning in the log, once per guard class and context type,
 * saying how to fix it.
 * @internal
 */
export function answerWithoutRequest(guard: abstract new (...args: never[]) => unknown, context: ExecutionContext, hasChecks: boolean, fix: string, name = guard.name): boolean {
  if (!hasChecks) return true;
  const type = context.getType();
  let types = warned.get(guard);
  if (!types) warned.set(guard, (types = new Set()));
  if (!types.has(type)) {
    types.add(type);
    logger.warn(
      `${name || 'A guard of nestjs-ajax'} refused a call in a '${type}' context (${context.getClass().name}.${context.getHandler().name}): ` +
        `it checks HTTP requests and has none here. ${fix}`,
    );
  }
  return false;
}
