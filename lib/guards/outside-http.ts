import { type ExecutionContext, Logger } from '@nestjs/common';

const logger = new Logger('AjaxModule');
const warned = new Set<string>();

/** What the log says to do where a guard that can be given a request has none to check. @internal */
export const NO_REQUEST_FIX =
  "Leave the guard off the handlers of this transport, or override its getRequest() to give it this transport's request " +
  '(an object with the headers and the user to check).';

/**
 * The request a guard of the module checks: the HTTP request, or none in a
 * context that is not HTTP (a microservice, a WebSocket gateway, GraphQL).
 * There, `switchToHttp().getRequest()` would give the call's first argument
 * (a microservice's message payload), which the caller writes: a payload of
 * `{ headers: {}, user: 1 }` passed for a signed-in visitor.
 * @internal
 */
export function httpRequestOf<T>(context: ExecutionContext): T | undefined {
  return context.getType() === 'http' ? context.switchToHttp().getRequest<T>() : undefined;
}

/**
 * A guard's answer where it has no HTTP request to check: the call passes
 * when the guard has nothing to check for this handler, and is refused
 * otherwise (fail closed; Nest answers as that transport answers a guard's
 * no), with a warning in the log, once per guard and context type, saying how
 * to fix it.
 * @internal
 */
export function answerWithoutRequest(guard: string, context: ExecutionContext, hasChecks: boolean, fix: string): boolean {
  if (!hasChecks) return true;
  const key = `${guard}:${context.getType()}`;
  if (!warned.has(key)) {
    warned.add(key);
    logger.warn(
      `${guard} refused a call in a '${context.getType()}' context (${context.getClass().name}.${context.getHandler().name}): ` +
        `it checks HTTP requests and has none here. ${fix}`,
    );
  }
  return false;
}
