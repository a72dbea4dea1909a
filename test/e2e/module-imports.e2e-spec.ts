import { All, Controller, Get, Injectable, Module, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import express from 'express';
import {
  Ajax,
  AjaxAuthGuard,
  AjaxConfigurationError,
  AjaxExceptionFilter,
  AjaxMessagesInterceptor,
  AjaxModule,
  type AjaxModuleFactoryOptions,
  type AjaxModuleOptions,
  Messages,
  MessagesService,
  type RequestMessages,
} from '../../lib/index.js';
import { SessionController } from '../fixtures/session.controller.js';
import { PLATFORMS, startTestApp } from '../fixtures/test-app.js';

/** Tags every error as ROOT-TAG: a feature module's messages show whose options it got. */
const ROOT_OPTIONS: AjaxModuleOptions = { messages: { tags: { 40: 'ROOT-TAG' } } };

/** A singleton service of the feature module that adds a message. */
@Injectable()
class FeatureNotices {
  constructor(private readonly messages: MessagesService) {}

  warnAll(): void {
    this.messages.error('from the service');
  }
}

/** A feature module's routes, each using one thing AjaxModule provides. */
@Controller('feature')
class FeatureController {
  constructor(private readonly notices: FeatureNotices) {}

  @All('vote')
  @Ajax({ loginRequired: true, requirePost: true })
  vote(@Messages() messages: RequestMessages): object {
    messages.error('from @Messages()');
    return { voted: true };
  }

  @Get('service')
  @Ajax()
  service(): object {
    this.notices.warnAll();
    return { ok: true };
  }

  @Get('guarded')
  @UseGuards(AjaxAuthGuard)
  @UseFilters(AjaxExceptionFilter)
  @UseInterceptors(AjaxMessagesInterceptor)
  guarded(): object {
    return { ok: true };
  }
}

@Module({ controllers: [FeatureController], providers: [FeatureNotices] })
class FeatureModule {}

/** The same feature module, importing the AjaxModule class as one imports ConfigModule in a feature module. */
@Module({ imports: [AjaxModule], controllers: [FeatureController], providers: [FeatureNotices] })
class FeatureImportingClassModule {}

/** A feature module with its own forRoot(): a second set of options. */
@Module({ imports: [AjaxModule.forRoot({ messages: { tags: { 40: 'FEATURE-TAG' } } })], controllers: [FeatureController], providers: [FeatureNotices] })
class FeatureWithOwnForRootModule {}

/** A feature module with a route and no service. */
@Controller('routes-only')
class RoutesOnlyController {
  @Get()
  @Ajax()
  get(): object {
    return { ok: true };
  }
}

@Module({ controllers: [RoutesOnlyController] })
class RoutesOnlyModule {}

/** The way to keep the module to some modules: forRoot({ isGlobal: false }) once, in a shared module that exports it. */
@Module({ imports: [AjaxModule.forRoot({ ...ROOT_OPTIONS, isGlobal: false })], exports: [AjaxModule] })
class SharedAjaxModule {}

@Module({ imports: [SharedAjaxModule], controllers: [FeatureController], providers: [FeatureNotices] })
class FeatureImportingSharedModule {}

@Controller('plain')
class PlainController {
  @Get()
  plain(@Messages() messages: RequestMessages): object {
    messages.info('plain route');
    return { plain: true };
  }
}

/** A feature module whose only use of the module is @Messages() (PlainController). */
@Module({ controllers: [PlainController] })
class MessagesOnlyModule {}

/** A method decorator that wraps the handler without copying its metadata, as some caching and logging decorators do. */
function Wrapping(): MethodDecorator {
  return (_target, _key, descriptor: PropertyDescriptor) => {
    const handler = descriptor.value as (...args: unknown[]) => unknown;
    descriptor.value = function wrapped(this: unknown, ...args: unknown[]) {
      return handler.apply(this, args);
    };
  };
}

@Controller('wrapped')
class WrappedController {
  @Get()
  @Wrapping()
  wrapped(@Messages() messages: RequestMessages): object {
    messages.info('wrapped route');
    return { wrapped: true };
  }
}

@Module({ controllers: [WrappedController] })
class WrappedMessagesModule {}

/** Compiles and initialises an app of these imports, for start-up errors. */
async function startUp(imports: NonNullable<Parameters<typeof Test.createTestingModule>[0]['imports']>): Promise<void> {
  const moduleRef = await Test.createTestingModule({ imports }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  try {
    await app.init();
  } finally {
    await app.close();
  }
}

describe.each(PLATFORMS)('on %s', (platform) => {
  describe('one forRoot() in the root module serves every module', () => {
    it('a feature module uses @Ajax(), @Messages(), MessagesService, the guard, the filter and the interceptor, with the root options', async () => {
      const t = await startTestApp({ platform, ajax: ROOT_OPTIONS, imports: [FeatureModule], controllers: [SessionController] });
      try {
        const visitor = t.agent();
        const anonymous = await visitor.post('/feature/vote');
        expect(anonymous.status).toBe(401);
        expect(anonymous.body).toEqual({ status: 'error', error: 'Unauthorized' });
        const guarded = await visitor.get('/feature/guarded');
        expect(guarded.status).toBe(401);
        expect(guarded.body).toEqual({ status: 'error', error: 'Unauthorized' });

        await visitor.post('/session/login').expect(302);
        const wrongMethod = await visitor.get('/feature/vote');
        expect(wrongMethod.status).toBe(405);
        expect(wrongMethod.headers.allow).toBe('POST');
        expect(wrongMethod.body.messages).toEqual([{ message: 'Welcome back, ada.', tags: 'success' }]);
        const voted = await visitor.post('/feature/vote').expect(200);
        expect(voted.body).toEqual({ voted: true, messages: [{ message: 'from @Messages()', tags: 'ROOT-TAG' }] });
        const fromService = await visitor.get('/feature/service').expect(200);
        expect(fromService.body).toEqual({ ok: true, messages: [{ message: 'from the service', tags: 'ROOT-TAG' }] });
        expect((await visitor.get('/feature/guarded').expect(200)).body).toEqual({ ok: true });
      } finally {
        await t.close();
      }
    });

    it('so does forRootAsync()', async () => {
      const t = await startTestApp({
        platform,
        ajax: null,
        imports: [AjaxModule.forRootAsync({ useFactory: () => ROOT_OPTIONS }), FeatureModule],
      });
      try {
        expect((await t.agent().get('/feature/service').expect(200)).body).toEqual({ ok: true, messages: [{ message: 'from the service', tags: 'ROOT-TAG' }] });
      } finally {
        await t.close();
      }
    });

    it('a feature module may import the AjaxModule class as well: it gets the root options, and the module sets up once', async () => {
      const t = await startTestApp({ platform, ajax: ROOT_OPTIONS, imports: [FeatureImportingClassModule], controllers: [SessionController] });
      try {
        const visitor = t.agent();
        await visitor.post('/session/login').expect(302);
        const voted = await visitor.post('/feature/vote').expect(200);
        expect(voted.body.messages).toEqual([
          { message: 'Welcome back, ada.', tags: 'success' },
          { message: 'from @Messages()', tags: 'ROOT-TAG' },
        ]);
        const wrongMethod = await visitor.get('/feature/vote');
        expect([wrongMethod.status, wrongMethod.headers.allow]).toEqual([405, 'POST']);
        const fromService = await visitor.get('/feature/service').expect(200);
        expect(fromService.body).toEqual({ ok: true, messages: [{ message: 'from the service', tags: 'ROOT-TAG' }] });
        // The feature module's MessagesService is the root's very instance, not one the class import made.
        const featureService = (t.app.get(FeatureNotices, { strict: false }) as unknown as { messages: MessagesService }).messages;
        expect(featureService).toBe(t.app.get(MessagesService, { strict: false }));
      } finally {
        await t.close();
      }
    });
  });

  it('isGlobal: false in a shared module that exports AjaxModule serves the modules that import it', async () => {
    const t = await startTestApp({ platform, ajax: null, imports: [SharedAjaxModule, FeatureImportingSharedModule] });
    try {
      expect((await t.agent().get('/feature/service').expect(200)).body).toEqual({ ok: true, messages: [{ message: 'from the service', tags: 'ROOT-TAG' }] });
      expect((await t.agent().post('/feature/vote')).status).toBe(401);
    } finally {
      await t.close();
    }
  });

  describe('applyToEveryRoute', () => {
    it('applies the filter and messages to every route, unknown paths included; global: true does the same', async () => {
      for (const ajax of [{ applyToEveryRoute: true }, { global: true }] as AjaxModuleOptions[]) {
        const t = await startTestApp({ platform, ajax, controllers: [PlainController] });
        try {
          expect((await t.http().get('/plain').expect(200)).body).toEqual({ plain: true, messages: [{ message: 'plain route', tags: 'info' }] });
          const unknown = await t.http().get('/nowhere');
          expect([unknown.status, unknown.body]).toEqual([404, { status: 'error', error: 'Not found', message: 'Cannot GET /nowhere' }]);
        } finally {
          await t.close();
        }
      }
    });

    it('is off by default: a plain route carries no messages, and Nest answers unknown paths', async () => {
      const t = await startTestApp({ platform, ajax: {}, controllers: [PlainController] });
      try {
        const visitor = t.agent();
        expect((await visitor.get('/plain').expect(200)).body).toEqual({ plain: true });
        const unknown = await visitor.get('/nowhere');
        expect(unknown.status).toBe(404);
        expect(unknown.body.status).toBeUndefined();
      } finally {
        await t.close();
      }
    });
  });

  describe('imports that look right and are not fail at start-up, saying how to fix them', () => {
    it('isGlobal: false keeps the module to the module that imports forRoot()', async () => {
      await expect(startUp([AjaxModule.forRoot({ isGlobal: false }), RoutesOnlyModule])).rejects.toThrow(
        /(@Ajax\(\)|AjaxExceptionFilter) needs AjaxModule\.forRoot\(\), which the module where it is used cannot see: no module calls it, or it is given isGlobal: false.*Import AjaxModule\.forRoot\(\) once, in the root module, without isGlobal: false/,
      );
      const t = await startTestApp({ platform, ajax: { isGlobal: false }, controllers: [PlainController, SessionController] });
      try {
        expect((await t.agent().post('/session/me')).status).toBe(401);
      } finally {
        await t.close();
      }
    });

    it('a route whose only use of the module is @Messages() fails too, in a module that cannot see forRoot() and in an app without it', async () => {
      const cannotSee = /@Messages\(\) needs AjaxModule\.forRoot\(\), which the module where it is used cannot see.*Import AjaxModule\.forRoot\(\) once, in the root module/;
      await expect(startUp([AjaxModule.forRoot({ isGlobal: false }), MessagesOnlyModule])).rejects.toThrow(cannotSee);
      await expect(startUp([MessagesOnlyModule])).rejects.toThrow(cannotSee);
      // The check is the controller's, so a method decorator that replaces the handler keeps it.
      await expect(startUp([WrappedMessagesModule])).rejects.toThrow(cannotSee);
    });

    it('two apps that import forRoot() on one Express instance: the second fails at start-up', async () => {
      @Module({ imports: [AjaxModule.forRoot()], controllers: [PlainController] })
      class FirstApp {}
      @Module({ imports: [AjaxModule.forRoot()], controllers: [PlainController] })
      class SecondApp {}
      const server = express();
      const first = await NestFactory.create(FirstApp, new ExpressAdapter(server), { logger: false });
      await first.init();
      const second = await NestFactory.create(SecondApp, new ExpressAdapter(server), { logger: false });
      try {
        await expect(second.init()).rejects.toThrow(/Two Nest apps that import AjaxModule\.forRoot\(\) run on one Express instance.*Give each app an Express instance of its own/);
      } finally {
        await second.close().catch(() => undefined);
        await first.close();
      }
    });

    it('global: false is the older way to say isGlobal: false', async () => {
      await expect(startUp([AjaxModule.forRoot({ global: false }), RoutesOnlyModule])).rejects.toThrow(/cannot see/);
    });

    it('forRoot() in two modules', async () => {
      await expect(startUp([AjaxModule.forRoot(ROOT_OPTIONS), FeatureWithOwnForRootModule])).rejects.toThrow(AjaxConfigurationError);
      await expect(startUp([AjaxModule.forRoot(), AjaxModule.forRoot()])).rejects.toThrow(/called 2 times, imported by RootTestModule and by RootTestModule/);
      await expect(startUp([AjaxModule.forRoot(ROOT_OPTIONS), FeatureWithOwnForRootModule])).rejects.toThrow(
        /AjaxModule\.forRoot\(\) \(or forRootAsync\(\)\) is called 2 times, imported by RootTestModule and by FeatureWithOwnForRootModule.*Call it once, in the root module/,
      );
    });

    it('the AjaxModule class alone, with no forRoot() anywhere', async () => {
      await expect(startUp([AjaxModule])).rejects.toThrow(/RootTestModule imports the AjaxModule class without calling forRoot\(\).*Import AjaxModule\.forRoot\(\) once, in the root module/);
      await expect(startUp([FeatureImportingClassModule])).rejects.toThrow(/FeatureImportingClassModule imports the AjaxModule class without calling forRoot\(\)/);
    });

    it('the AjaxModule class beside a forRoot({ isGlobal: false })', async () => {
      await expect(startUp([AjaxModule.forRoot({ isGlobal: false }), FeatureImportingClassModule])).rejects.toThrow(
        /FeatureImportingClassModule imports the AjaxModule class, which brings nothing: AjaxModule\.forRoot\(\{ isGlobal: false \}\) in RootTestModule is seen only there/,
      );
    });

    it.each([
      [{ global: true, isGlobal: true }, /"global" is shorthand for both "isGlobal" and "applyToEveryRoute"/],
      [{ global: false, applyToEveryRoute: true }, /"global" is shorthand/],
      [{ isGlobal: 'yes' }, /option "isGlobal" must be true or false; got "yes"/],
      [{ applyToEveryRoute: 1 }, /option "applyToEveryRoute" must be true or false; got 1/],
    ])('forRoot(%j)', (options, message) => {
      expect(() => AjaxModule.forRoot(options as never)).toThrow(AjaxConfigurationError);
      expect(() => AjaxModule.forRoot(options as never)).toThrow(message);
      expect(() => AjaxModule.forRootAsync({ ...(options as object), useFactory: () => ({}) })).toThrow(message);
    });

    it.each(['isGlobal', 'applyToEveryRoute', 'global'])('"%s" from forRootAsync()\'s factory', async (key) => {
      const start = startUp([AjaxModule.forRootAsync({ useFactory: () => ({ [key]: true }) as AjaxModuleFactoryOptions })]);
      await expect(start).rejects.toThrow(new RegExp(`"${key}" cannot come from the options factory.*forRootAsync\\(\\{ ${key}: true, useFactory`));
    });
  });
});
