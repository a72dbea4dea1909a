import { Controller, Get, type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { AjaxConfigurationError, AjaxModule } from '../../lib/index.js';

@Controller()
class PingController {
  @Get('ping')
  ping(): object {
    return { pong: true };
  }
}

const REFUSAL =
  /^nestjs-ajax runs on Express \(@nestjs\/platform-express\) and Fastify \(@nestjs\/platform-fastify\), and this app runs on "h3"\. Create the app with one of them/;

/** An HTTP platform the module does not know, as a third-party adapter would name itself. */
class H3Adapter extends ExpressAdapter {
  override getType(): string {
    return 'h3';
  }
}

function appModule(global: boolean): new () => object {
  @Module({ imports: [global ? AjaxModule.forRoot({ global: true }) : AjaxModule.forRoot()], controllers: [PingController] })
  class AppModule {}
  return AppModule;
}

/** What starting `app` gives: the error it fails with, or undefined when it starts. */
async function startUp(app: INestApplicationContext): Promise<unknown> {
  try {
    await app.init();
    return undefined;
  } catch (error) {
    return error;
  } finally {
    await app.close().catch(() => undefined);
  }
}

/**
 * On a platform the module does not support, the app fails at start-up with
 * an error that names the platform and what is supported, instead of starting
 * and then answering every request with a 500.
 */
describe('an unsupported HTTP platform', () => {
  it.each([
    ['with global: true', true],
    ['without global', false],
  ])('NestFactory on another platform, %s: start-up fails with an AjaxConfigurationError naming the platform', async (_name, global) => {
    const error = await startUp(await NestFactory.create(appModule(global), new H3Adapter(), { logger: false }));
    expect(error).toBeInstanceOf(AjaxConfigurationError);
    expect((error as Error).message).toMatch(REFUSAL);
  });

  it('a testing module\'s app on another platform: start-up fails the same way', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [appModule(true)] }).compile();
    const error = await startUp(moduleRef.createNestApplication(new H3Adapter(), { logger: false }));
    expect(error).toBeInstanceOf(AjaxConfigurationError);
    expect((error as Error).message).toMatch(REFUSAL);
  });

  it.each([
    ['Express', () => undefined],
    ['Fastify', () => new FastifyAdapter()],
  ])('on %s the same app starts (control)', async (_name, adapter) => {
    const created = adapter();
    const app = created ? await NestFactory.create(appModule(true), created, { logger: false }) : await NestFactory.create(appModule(true), { logger: false });
    expect(await startUp(app)).toBeUndefined();
  });

  it('an application context without HTTP starts: there is no platform to check', async () => {
    expect(await startUp(await NestFactory.createApplicationContext(appModule(false), { logger: false }))).toBeUndefined();
  });
});
