import { type DynamicModule, Inject, Module, type NestModule, Optional, type Provider } from '@nestjs/common';
import { HttpAdapterHost, ModulesContainer } from '@nestjs/core';
import { AJAX_OPTIONS } from './ajax.constants.js';
import { confirmNestCsrfProtection, watchNestSecurityHook } from './csrf/nest-csrf-protection.js';
import { AJAX_EXPORTS, asyncOptionsProviders, GLOBAL_ENHANCERS } from './ajax.providers.js';
import type { AjaxModuleAsyncOptions, AjaxModuleOptions } from './options/ajax-module-options.interface.js';
import { resolveAjaxOptions, type ResolvedAjaxOptions } from './options/resolve-ajax-options.js';
import { tagLoginRequiredRoutes } from './filters/login-required-routes.js';
import { usePlatform } from './platform/platform-of.js';

/**
 * JSON endpoints for pages that call them with fetch/XHR: guards that answer
 * 401/405 in JSON, a filter that turns every failure into a JSON body, and
 * flash messages delivered inside JSON responses.
 *
 * @example
 * @Module({
 *   imports: [AjaxModule.forRoot({ global: true })],
 *   controllers: [PollsController],
 * })
 * export class AppModule {}
 */
@Module({})
export class AjaxModule implements NestModule {
  constructor(
    private readonly modules: ModulesContainer,
    private readonly adapterHost: HttpAdapterHost,
    @Optional() @Inject(AJAX_OPTIONS) private readonly options?: ResolvedAjaxOptions,
  ) {
    // As soon as the app has its adapter, before the app's code can call app.enableCsrfProtection().
    if (options?.csrf) adapterHost.init$.subscribe(() => watchNestSecurityHook(adapterHost.httpAdapter));
  }

  /**
   * Runs when an HTTP app starts, before Nest registers the routes (as a
   * module's middleware set-up does): sets the app up for its platform (or
   * fails the start on one the module does not support), and marks the
   * routes that require a log-in, for the 405 of a known path; and learns
   * whether Nest's own cross-site check is on (`app.enableCsrfProtection()`
   * must be called before this).
   */
  configure(): void {
    if (!this.options) return;
    const platform = usePlatform(this.adapterHost.httpAdapter, this.options);
    if (platform) tagLoginRequiredRoutes(this.modules, platform);
    if (this.options.csrf) confirmNestCsrfProtection(this.adapterHost.httpAdapter);
  }

  /**
   * The module with options checked now, so a bad option fails the start-up.
   * @param options every option may be left out: `AjaxModule.forRoot()` works.
   */
  static forRoot(options?: AjaxModuleOptions): DynamicModule {
    const resolved = resolveAjaxOptions(options);
    return AjaxModule.create(options?.global === true, { provide: AJAX_OPTIONS, useValue: resolved });
  }

  /**
   * The module with options built by a factory, a class or an existing
   * provider, e.g. from a configuration service. The options are checked when
   * the factory has run, still at start-up.
   */
  static forRootAsync(options: AjaxModuleAsyncOptions): DynamicModule {
    const module = AjaxModule.create(options?.global === true, ...asyncOptionsProviders(options ?? {}));
    return { ...module, imports: options.imports ?? [] };
  }

  private static create(global: boolean, ...optionsProviders: Provider[]): DynamicModule {
    return {
      module: AjaxModule,
      global,
      providers: [...optionsProviders, ...AJAX_EXPORTS, ...(global ? GLOBAL_ENHANCERS : [])],
      exports: [AJAX_OPTIONS, ...AJAX_EXPORTS],
    };
  }
}
