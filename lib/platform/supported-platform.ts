import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { AjaxConfigurationError } from '../ajax.errors.js';

/** The HTTP platforms the module runs on, as `HttpAdapter.getType()` names them. @internal */
export const SUPPORTED_PLATFORMS = ['express'] as const;

/**
 * Refuses to start on an HTTP platform the module does not support. Its
 * guards, filter and message delivery speak to the platform's request and
 * response; on another one they would fail on every request, with a 500 and
 * an internal message, after a start-up that looked fine. An application
 * without HTTP (an application context, a microservice) has nothing to check.
 * Runs when the app initialises: by then every way of creating an app
 * (NestFactory, a testing module's createNestApplication) has its adapter.
 * @internal
 */
@Injectable()
export class SupportedPlatform implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const platform = this.adapterHost.httpAdapter?.getType();
    if (platform === undefined || (SUPPORTED_PLATFORMS as readonly string[]).includes(platform)) return;
    throw new AjaxConfigurationError(
      `nestjs-ajax runs on Express (@nestjs/platform-express) only, and this app runs on "${platform}". ` +
        'Create the app on Express (NestFactory.create(AppModule), the default platform), or leave AjaxModule out of this app.',
    );
  }
}
