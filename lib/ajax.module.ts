import { type DynamicModule, Inject, Module, type NestModule, Optional, type Provider } from '@nestjs/common';
import { HttpAdapterHost, ModuleRef, ModulesContainer } from '@nestjs/core';
import { AJAX_OPTIONS, AJAX_ROOT, ROOT_MESSAGES_SERVICE } from './ajax.constants.js';
import { AjaxConfigurationError } from './ajax.errors.js';
import { followsNoRequest, MessagesService } from './messages/messages.service.js';
import { AJAX_EXPORTS, asyncOptionsProviders, EVERY_ROUTE_ENHANCERS } from './ajax.providers.js';
import type { AjaxModuleAsyncOptions, AjaxModuleOptions } from './options/ajax-module-options.interface.js';
import { resolveAjaxOptions, type ResolvedAjaxOptions } from './options/resolve-ajax-options.js';
import { resolveModuleShape, type ModuleShape } from './options/module-shape.js';
import { checkAjaxModuleImports } from './module-imports.js';
import { tagAllowedMethodRoutes } from './filters/allowed-methods-routes.js';
import { tagHostBoundRoutes } from './filters/host-bound-routes.js';
import { tagLoginRequiredRoutes } from './filters/login-required-routes.js';
import { usePlatform } from './platform/platform-of.js';
import { decidedAtFirstRequest } from './platform/enter-request.js';
import { type GlobalEnhancersLike, globalEnhancersHoldMessagesService, injectsMessagesService } from './context/injects-messages-service.js';
import { appCookiesOf } from './messages/cookie/app-cookies.js';

/**
 * What the class imported alone (`imports: [AjaxModule]`, as feature modules
 * import ConfigModule) provides: the `MessagesService` of a global `forRoot()`,
 * or, with none to be seen, the start-up error that says to call it, instead
 * of Nest's "cannot resolve MessagesService" in a module that does import
 * AjaxModule. `forRoot()`'s own providers replace it.
 */
const MESSAGES_SERVICE_OF_THE_CLASS: Provider = {
  provide: MessagesService,
  useFactory: (modules: ModulesContainer, service?: MessagesService): MessagesService => {
    if (service) return service;
    checkAjaxModuleImports(modules, AjaxModule, false);
    throw new AjaxConfigurationError('MessagesService needs AjaxModule.forRoot(): import it once, in the root module.');
  },
  inject: [ModulesContainer, { token: ROOT_MESSAGES_SERVICE, optional: true }],
};

/**
 * JSON endpoints for pages that call them with fetch/XHR: guards that answer
 * 401/405 in JSON, a filter that turns every failure into a JSON body, and
 * flash messages delivered inside JSON responses.
 *
 * Import `AjaxModule.forRoot()` once, in the root module: every module of the
 * app then sees what it provides, with one set of options.
 *
 * @example
 * @Module({
 *   imports: [AjaxModule.forRoot({ applyToEveryRoute: true })],
 *   controllers: [PollsController],
 * })
 * export class AppModule {}
 */
@Module({ providers: [MESSAGES_SERVICE_OF_THE_CLASS], exports: [MessagesService] })
export class AjaxModule implements NestModule {
  constructor(
    private readonly modules: ModulesContainer,
    private readonly adapterHost: HttpAdapterHost,
    private readonly moduleRef: ModuleRef,
    @Optional() @Inject(AJAX_OPTIONS) private readonly options?: ResolvedAjaxOptions,
    @Optional() @Inject(AJAX_ROOT) private readonly root?: object,
  ) {
    checkAjaxModuleImports(modules, AjaxModule, options !== undefined);
  }

  /**
   * Runs when an HTTP app starts, before Nest registers the routes (as a
   * module's middleware set-up does): sets the app up for its platform (or
   * fails the start on one the module does not support; each request entered
   * as its own handling when something asks for `MessagesService`), marks the
   * routes that require a log-in, for the 405 of a known path, and tells the
   * message storage what the app says of cookies (`useAppCookies()`).
   */
  configure(): void {
    // The class imported alone beside a global forRoot() sees the options too: only forRoot()'s module sets up.
    if (!this.options || !this.root) return;
    const adapter = this.adapterHost.httpAdapter;
    const modules = this.modules;
    const service = this.moduleRef.get<MessagesService>(ROOT_MESSAGES_SERVICE);
    // Nest keeps the enhancers given to app.useGlobalGuards() and the like in its container's configuration.
    const globals = (this.moduleRef as unknown as { container?: { applicationConfig?: GlobalEnhancersLike } }).container?.applicationConfig;
    const follows = decidedAtFirstRequest(
      () => injectsMessagesService(modules) || globalEnhancersHoldMessagesService(globals),
      (decided) => {
        if (!decided) followsNoRequest(service);
      },
    );
    const platform = usePlatform(adapter, this.options, follows);
    if (!platform) return;
    tagLoginRequiredRoutes(this.modules, platform, globals);
    tagHostBoundRoutes(this.modules, platform);
    tagAllowedMethodRoutes(this.modules, platform);
    this.options.messages.storage.useAppCookies?.(appCookiesOf(adapter));
  }

  /**
   * The module with options checked now, so a bad option fails the start-up.
   * @param options every option may be left out: `AjaxModule.forRoot()` works.
   */
  static forRoot(options?: AjaxModuleOptions): DynamicModule {
    const resolved = resolveAjaxOptions(options);
    return AjaxModule.create(resolveModuleShape(options, 'AjaxModule'), { provide: AJAX_OPTIONS, useValue: resolved });
  }

  /**
   * The module with options built by a factory, a class or an existing
   * provider, e.g. from a configuration service. The options are checked when
   * the factory has run, still at start-up.
   */
  static forRootAsync(options: AjaxModuleAsyncOptions): DynamicModule {
    const module = AjaxModule.create(resolveModuleShape(options, 'AjaxModule.forRootAsync()'), ...asyncOptionsProviders(options ?? {}));
    return { ...module, imports: options.imports ?? [] };
  }

  private static create(shape: ModuleShape, ...optionsProviders: Provider[]): DynamicModule {
    return {
      module: AjaxModule,
      global: shape.isGlobal,
      providers: [
        ...optionsProviders,
        // A fresh object per call: it tells this call's declaration apart in start-up errors.
        { provide: AJAX_ROOT, useValue: Object.freeze({}) },
        { provide: ROOT_MESSAGES_SERVICE, useExisting: MessagesService },
        ...AJAX_EXPORTS,
        ...(shape.applyToEveryRoute ? EVERY_ROUTE_ENHANCERS : []),
      ],
      exports: [AJAX_OPTIONS, ROOT_MESSAGES_SERVICE, ...AJAX_EXPORTS],
    };
  }
}
