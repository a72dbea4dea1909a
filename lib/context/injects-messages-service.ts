import type { ModulesContainer } from '@nestjs/core';
import { ROOT_MESSAGES_SERVICE } from '../ajax.constants.js';
import { MessagesService } from '../messages/messages.service.js';

/** What Nest records of a class's or a factory's dependencies, as far as this check reads it. */
interface WrapperLike {
  token?: unknown;
  metatype?: unknown;
  inject?: readonly unknown[] | null;
}

interface ModuleLike {
  providers: Map<unknown, WrapperLike>;
  controllers: Map<unknown, WrapperLike>;
  injectables: Map<unknown, WrapperLike>;
  middlewares: Map<unknown, WrapperLike>;
}

/** Nest's metadata keys (`@nestjs/common/constants`): TypeScript's parameter types, `@Inject()` on parameters, on properties. */
const PARAMETER_TYPES = 'design:paramtypes';
const INJECTED_PARAMETERS = 'self:paramtypes';
const INJECTED_PROPERTIES = 'self:properties_metadata';

/**
 * Whether anything in the app asks Nest for `MessagesService`: a provider,
 * controller, enhancer (guard, interceptor, filter, pipe) or middleware
 * class through its constructor (its parameter type, or `@Inject()`, with or
 * without `forwardRef()`) or an `@Inject()` property, or a factory provider
 * through `inject` (`useExisting` is one), or a class provider of the
 * service (or a subclass) under a token of the app's own. Read from the
 * classes' metadata, so that request-scoped and transient providers, built
 * later, count too.
 *
 * Why it matters: `MessagesService` finds its request through Node's
 * `AsyncLocalStorage`, which on Node 20 runs a hook for every promise of the
 * process once any request is entered: 1–10% of a small route's server CPU
 * time on Express and 7–22% on Fastify (bench/RESULTS.md). An app that never asks
 * for the service does not pay it.
 * @internal
 */
export function injectsMessagesService(modules: ModulesContainer): boolean {
  for (const module of modules.values() as Iterable<ModuleLike>) {
    for (const wrappers of [module.providers, module.controllers, module.injectables, module.middlewares]) {
      for (const wrapper of wrappers.values()) {
        // The module's own alias of the service, which every module's import of the class reads.
        if (wrapper.token === ROOT_MESSAGES_SERVICE) continue;
        if (asksFor(wrapper)) return true;
      }
    }
  }
  return false;
}

function asksFor({ token, metatype, inject }: WrapperLike): boolean {
  if (inject) return inject.some((dependency) => isService(dependency) || isService((dependency as { token?: unknown } | null)?.token));
  if (typeof metatype !== 'function') return false;
  // The service (or a subclass) provided under a token of the app's own (`useClass`), which is what is then injected.
  if (token !== metatype && isService(metatype)) return true;
  const parameters = (Reflect.getMetadata(PARAMETER_TYPES, metatype) as unknown[] | undefined) ?? [];
  const injected = (Reflect.getMetadata(INJECTED_PARAMETERS, metatype) as Array<{ param: unknown }> | undefined) ?? [];
  const properties = (Reflect.getMetadata(INJECTED_PROPERTIES, metatype) as Array<{ type: unknown }> | undefined) ?? [];
  return parameters.some(isService) || injected.some(({ param }) => isService(param)) || properties.some(({ type }) => isService(type));
}

/** `MessagesService` (or a subclass of it), directly or through `forwardRef()`. */
function isService(token: unknown): boolean {
  const forward = (token as { forwardRef?: unknown } | null | undefined)?.forwardRef;
  const type = typeof forward === 'function' ? (forward as () => unknown)() : token;
  return typeof type === 'function' && (type === MessagesService || type.prototype instanceof MessagesService);
}

/** The app's global enhancers, as Nest's `ApplicationConfig` keeps those given to `app.useGlobalGuards()` and the like. */
export interface GlobalEnhancersLike {
  getGlobalGuards?(): unknown[];
  getGlobalInterceptors?(): unknown[];
  getGlobalFilters?(): unknown[];
  getGlobalPipes?(): unknown[];
}

/**
 * Whether a global enhancer the app made itself holds the service:
 * `app.useGlobalGuards(new AuditGuard(app.get(MessagesService)))`, whose
 * class Nest never resolves, so its metadata says nothing. Its own
 * properties are read, once, at the first request.
 * @internal
 */
export function globalEnhancersHoldMessagesService(config: GlobalEnhancersLike | undefined): boolean {
  if (!config) return false;
  const enhancers = [config.getGlobalGuards?.(), config.getGlobalInterceptors?.(), config.getGlobalFilters?.(), config.getGlobalPipes?.()].flat();
  return enhancers.some((enhancer) => enhancer !== null && typeof enhancer === 'object' && Object.values(enhancer).some((value) => value instanceof MessagesService));
}
