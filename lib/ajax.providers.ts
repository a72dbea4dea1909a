import type { Provider } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AJAX_OPTIONS } from './ajax.constants.js';
import { AjaxConfigurationError } from './ajax.errors.js';
import { AjaxExceptionFilter } from './filters/ajax-exception.filter.js';
import { AjaxAuthGuard } from './guards/ajax-auth.guard.js';
import { AjaxCsrfGuard } from './guards/ajax-csrf.guard.js';
import { AjaxGuard } from './guards/ajax.guard.js';
import { MessagesStartUpCheck } from './decorators/messages-start-up-check.js';
import { AjaxMethodGuard } from './guards/ajax-method.guard.js';
import { AjaxMessagesInterceptor } from './interceptors/ajax-messages.interceptor.js';
import { EveryRouteMessages } from './messages/every-route-messages.js';
import { MessagesService } from './messages/messages.service.js';
import { UnroutedRequests } from './platform/express/unrouted-requests.js';
import type { AjaxModuleAsyncOptions, AjaxModuleFactoryOptions, AjaxOptionsFactory } from './options/ajax-module-options.interface.js';
import { resolveAjaxOptions } from './options/resolve-ajax-options.js';
import { SHAPE_KEYS } from './options/module-shape.js';

/** What the module provides and exports besides its options. @internal */
export const AJAX_EXPORTS = [AjaxAuthGuard, AjaxCsrfGuard, AjaxMethodGuard, AjaxExceptionFilter, AjaxMessagesInterceptor, MessagesService, MessagesStartUpCheck, AjaxGuard];

/**
 * What `applyToEveryRoute: true` (or `global: true`) adds: the filter for every route, as the very instance
 * the module exports (`useExisting`), and for requests outside the global
 * prefix; and messages on every route's JSON answer (what
 * `AjaxMessagesInterceptor` does, without its cost).
 * @internal
 */
export const EVERY_ROUTE_ENHANCERS: Provider[] = [{ provide: APP_FILTER, useExisting: AjaxExceptionFilter }, UnroutedRequests, EveryRouteMessages];

const ASYNC_SOURCE = 'AjaxModule.forRootAsync()';
const FACTORY_KEY = '__AJAX:OPTIONS_FACTORY';

/** Checks the factory's result like forRoot's options; what shapes the module belongs to forRootAsync itself. */
function resolveFactoryOptions(options: AjaxModuleFactoryOptions): ReturnType<typeof resolveAjaxOptions> {
  const shapeKey = options && typeof options === 'object' ? SHAPE_KEYS.find((key) => key in options) : undefined;
  if (shapeKey) {
    throw new AjaxConfigurationError(
      `${ASYNC_SOURCE}: "${shapeKey}" cannot come from the options factory, as it shapes the module before the factory runs; ` +
        `pass it beside the factory: AjaxModule.forRootAsync({ ${shapeKey}: true, useFactory: … }).`,
    );
  }
  return resolveAjaxOptions(options, `${ASYNC_SOURCE}'s factory`);
}

/** The options providers of `forRootAsync()`. @internal */
export function asyncOptionsProviders(options: AjaxModuleAsyncOptions): Provider[] {
  const ways = (['useFactory', 'useClass', 'useExisting'] as const).filter((key) => options[key] !== undefined);
  if (ways.length !== 1) {
    throw new AjaxConfigurationError(
      `${ASYNC_SOURCE} needs exactly one of useFactory, useClass or useExisting; got ${ways.length ? ways.join(' and ') : 'none'}.`,
    );
  }
  if (options.useFactory) {
    if (typeof options.useFactory !== 'function') throw new AjaxConfigurationError(`${ASYNC_SOURCE}: useFactory must be a function.`);
    const factory = options.useFactory as (...args: unknown[]) => AjaxModuleFactoryOptions | Promise<AjaxModuleFactoryOptions>;
    return [
      {
        provide: AJAX_OPTIONS,
        useFactory: async (...args: unknown[]) => resolveFactoryOptions(await factory(...args)),
        inject: options.inject ?? [],
      },
    ];
  }
  const fromFactory: Provider = {
    provide: AJAX_OPTIONS,
    useFactory: async (factory: AjaxOptionsFactory) => resolveFactoryOptions(await factory.createAjaxOptions()),
    inject: [options.useClass ? FACTORY_KEY : options.useExisting!],
  };
  return options.useClass ? [fromFactory, { provide: FACTORY_KEY, useClass: options.useClass }] : [fromFactory];
}
