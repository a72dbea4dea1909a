import { Controller, Get, Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  Ajax,
  AjaxConfigurationError,
  AjaxModule,
  type AjaxModuleFactoryOptions,
  type AjaxOptionsFactory,
  Messages,
  MessageLevel,
  type RequestMessages,
} from '../../lib/index.js';
import { PLATFORMS, startTestApp } from '../fixtures/test-app.js';

@Controller('levels')
class LevelsController {
  @Get()
  @Ajax()
  all(@Messages() messages: RequestMessages): object {
    messages.debug('debug');
    messages.info('info');
    messages.error('error');
    return { level: messages.getLevel() };
  }
}

@Injectable()
class FlashConfig {
  readonly level = MessageLevel.DEBUG;
}

@Module({ providers: [FlashConfig], exports: [FlashConfig] })
class FlashConfigModule {}

@Injectable()
class AjaxConfig implements AjaxOptionsFactory {
  createAjaxOptions(): AjaxModuleFactoryOptions {
    return { messages: { level: MessageLevel.ERROR, tags: { 40: 'danger' } } };
  }
}

describe.each(PLATFORMS)('on %s', (platform) => {
  describe('AjaxModule options', () => {
    it('forRoot() with no options works', async () => {
      const t = await startTestApp({ platform, controllers: [LevelsController] });
      try {
        const res = await t.http().get('/levels');
        expect(res.body).toEqual({
          level: 20,
          messages: [
            { message: 'info', tags: 'info' },
            { message: 'error', tags: 'error' },
          ],
        });
      } finally {
        await t.close();
      }
    });

    it('forRootAsync({ useFactory, inject, imports }) builds the options from a provider', async () => {
      const t = await startTestApp({ platform,
        ajax: null,
        imports: [
          AjaxModule.forRootAsync({
            imports: [FlashConfigModule],
            inject: [FlashConfig],
            useFactory: async (config: FlashConfig) => ({ messages: { level: config.level } }),
          }),
        ],
        controllers: [LevelsController],
      });
      try {
        const res = await t.http().get('/levels');
        expect(res.body.level).toBe(10);
        expect(res.body.messages.map((m: { message: string }) => m.message)).toEqual(['debug', 'info', 'error']);
      } finally {
        await t.close();
      }
    });

    it('forRootAsync({ useClass }) builds the options with a class', async () => {
      const t = await startTestApp({ platform, ajax: null, imports: [AjaxModule.forRootAsync({ useClass: AjaxConfig })], controllers: [LevelsController] });
      try {
        const res = await t.http().get('/levels');
        expect(res.body).toEqual({ level: 40, messages: [{ message: 'error', tags: 'danger' }] });
      } finally {
        await t.close();
      }
    });

    it('forRootAsync({ useExisting }) uses a provider from its imports', async () => {
      @Module({ providers: [AjaxConfig], exports: [AjaxConfig] })
      class ConfigModule {}
      const t = await startTestApp({ platform,
        ajax: null,
        imports: [AjaxModule.forRootAsync({ imports: [ConfigModule], useExisting: AjaxConfig })],
        controllers: [LevelsController],
      });
      try {
        expect((await t.http().get('/levels')).body.level).toBe(40);
      } finally {
        await t.close();
      }
    });

    it.each([
      [{ messages: { level: 'info' } }, /"messages\.level" must be a whole number.*got "info"/],
      [{ mesages: {} }, /no option "mesages"\. Known options: isGlobal, applyToEveryRoute, global, isAuthenticated, errorBody, messages/],
      [{ messages: { sesionKey: 'x' } }, /no option "messages\.sesionKey"/],
      [{ messages: { tags: { error: 'danger' } } }, /"messages\.tags" must map whole-number levels/],
      [{ global: 'yes' }, /"global" must be true or false; got "yes"/],
      [{ isAuthenticated: true }, /"isAuthenticated" must be a function; got true/],
      [{ messages: { sessionKey: '' } }, /"messages\.sessionKey" must be a non-empty string/],
    ])('forRoot(%j) fails at start-up with a message that says what is wrong', (options, message) => {
      expect(() => AjaxModule.forRoot(options as never)).toThrow(AjaxConfigurationError);
      expect(() => AjaxModule.forRoot(options as never)).toThrow(message);
    });

    it('forRootAsync() checks the factory\'s options when the app starts', async () => {
      const compile = Test.createTestingModule({
        imports: [AjaxModule.forRootAsync({ useFactory: () => ({ messages: { level: -1 } }) })],
      }).compile();
      await expect(compile).rejects.toThrow(/"messages\.level" must be a whole number ≥ 0/);
    });

    it('forRootAsync() refuses "global" from the factory, and a missing or doubled factory', async () => {
      const fromFactory = Test.createTestingModule({
        imports: [AjaxModule.forRootAsync({ useFactory: () => ({ global: true }) as AjaxModuleFactoryOptions })],
      }).compile();
      await expect(fromFactory).rejects.toThrow(/pass it beside the factory/);
      expect(() => AjaxModule.forRootAsync({})).toThrow(/exactly one of useFactory, useClass or useExisting; got none/);
      expect(() => AjaxModule.forRootAsync({ useClass: AjaxConfig, useExisting: AjaxConfig })).toThrow(/got useClass and useExisting/);
    });

    it('an @Ajax() route in a module that does not import AjaxModule fails at start-up, saying how to fix it', async () => {
      const compile = Test.createTestingModule({ controllers: [LevelsController] }).compile();
      const start = compile.then((moduleRef) => moduleRef.createNestApplication({ logger: false }).init());
      await expect(start).rejects.toThrow(/needs AjaxModule\.forRoot\(\), which the module where it is used cannot see: no module calls it.*Import AjaxModule\.forRoot\(\) once, in the root module/);
    });

    it.each([
      [() => Ajax({ requirePost: true, requireGet: true }), /requirePost and requireGet cannot be combined/],
      [() => Ajax({ loginRequierd: true } as never), /@Ajax\(\) has no option "loginRequierd"/],
      [() => Ajax({ methods: [] }), /needs at least one method/],
      [() => Ajax({ methods: ['GE T'] }), /"GE T" is not an HTTP method/],
      [() => Ajax({ loginRequired: 'yes' } as never), /"loginRequired" must be true or false/],
    ])('a wrong @Ajax() fails when the class is decorated (%#)', (decorate, message) => {
      expect(decorate).toThrow(AjaxConfigurationError);
      expect(decorate).toThrow(message);
    });
  });
});
