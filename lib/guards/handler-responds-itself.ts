import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { RESPONSE_PASSTHROUGH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';

const cache = new WeakMap<object, boolean>();

/**
 * Whether a handler writes its response itself (`@Res()` or `@Next()` without
 * `passthrough`), as Nest decides it: then its `res.json()` is its own
 * business, and messages are not added to it. Worked out once per handler.
 * @internal
 */
export function handlerRespondsItself(controller: object, handler: { name: string }): boolean {
  let answer = cache.get(handler);
  if (answer === undefined) {
    const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handler.name) ?? {}) as Record<string, unknown>;
    const takesResponse = Object.keys(args).some((key) => key.startsWith(`${RouteParamtypes.RESPONSE}:`) || key.startsWith(`${RouteParamtypes.NEXT}:`));
    answer = takesResponse && !Reflect.getMetadata(RESPONSE_PASSTHROUGH_METADATA, controller, handler.name);
    cache.set(handler, answer);
  }
  return answer;
}
