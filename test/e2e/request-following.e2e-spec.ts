import { Controller, forwardRef, Get, Inject, Injectable, type CanActivate, type MiddlewareConsumer, Module, type NestMiddleware, type NestModule, Scope, UseGuards } from '@nestjs/common';
import { Ajax, MessagesService } from '../../lib/index.js';
import { ADD, type Add, AddController, addThrough, DynamicController, PlainController } from '../fixtures/request-following-fixtures.js';
import { PLATFORMS, startTestApp, type TestApp, type TestAppOptions } from '../fixtures/test-app.js';

/**
 * The module follows each request (`AsyncLocalStorage`, which costs every
 * promise of the process on Node 20) only in an app where something asks
 * Nest for `MessagesService`; every way of asking counts, and the service
 * then works as it always has.
 */

@Injectable()
class ByParameterType {
  constructor(private readonly messages: MessagesService) {}
  add(text: string): void {
    this.messages.info(text);
  }
}

@Injectable()
class ByInjectToken {
  constructor(@Inject(MessagesService) private readonly messages: { info(text: string): void }) {}
  add(text: string): void {
    this.messages.info(text);
  }
}

@Injectable()
class ByForwardRef {
  constructor(@Inject(forwardRef(() => MessagesService)) private readonly messages: { info(text: string): void }) {}
  add(text: string): void {
    this.messages.info(text);
  }
}

@Injectable()
class ByProperty {
  @Inject(MessagesService) private readonly messages!: MessagesService;
  add(text: string): void {
    this.messages.info(text);
  }
}

@Injectable({ scope: Scope.REQUEST })
class RequestScoped {
  constructor(private readonly messages: MessagesService) {}
  add(text: string): void {
    this.messages.info(text);
  }
}

@Injectable()
class AppMessages extends MessagesService {}

const CASES: Array<[string, TestAppOptions['providers']]> = [
  ['a constructor parameter typed MessagesService', [ByParameterType, addThrough(ByParameterType)]],
  ['@Inject(MessagesService) on a parameter', [ByInjectToken, addThrough(ByInjectToken)]],
  ['@Inject(forwardRef(() => MessagesService))', [ByForwardRef, addThrough(ByForwardRef)]],
  ['@Inject(MessagesService) on a property', [ByProperty, addThrough(ByProperty)]],
  ['a request-scoped provider', [RequestScoped, addThrough(RequestScoped)]],
  ["a factory's inject", [{ provide: ADD, useFactory: (messages: MessagesService): Add => (text) => messages.info(text), inject: [MessagesService] }]],
  [
    'an alias (useExisting)',
    [
      { provide: 'MESSAGES', useExisting: MessagesService },
      { provide: ADD, useFactory: (messages: MessagesService): Add => (text) => messages.info(text), inject: ['MESSAGES'] },
    ],
  ],
  ['a subclass of MessagesService', [AppMessages, { provide: ADD, useFactory: (messages: AppMessages): Add => (text) => messages.info(text), inject: [AppMessages] }]],
];

@Injectable()
class NoteGuard implements CanActivate {
  constructor(private readonly messages: MessagesService) {}
  canActivate(): boolean {
    this.messages.info('from the guard');
    return true;
  }
}

@Controller()
class GuardedController {
  @Get('guarded')
  @Ajax()
  @UseGuards(NoteGuard)
  guarded(): object {
    return { ok: true };
  }
}

@Injectable()
class NoteMiddleware implements NestMiddleware {
  constructor(private readonly messages: MessagesService) {}
  use(_req: unknown, _res: unknown, next: () => void): void {
    this.messages.info('from the middleware');
    next();
  }
}

@Module({ controllers: [PlainController] })
class MiddlewareModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(NoteMiddleware).forRoutes('plain');
  }
}

describe('an app where nothing asks for MessagesService', () => {
  it.each(PLATFORMS)('follows no request, and the service reached through ModuleRef says why it cannot serve (%s)', async (platform) => {
    const t = await startTestApp({ platform, ajax: {}, controllers: [DynamicController] });
    try {
      // Before the first request nothing is decided: a use then is outside any request, and says so.
      expect(() => t.app.get(MessagesService).info('at start-up')).toThrow(/^MessagesService was used outside an HTTP request/);
      const res = await t.http().get('/dynamic').expect(200);
      expect(res.body.followed).toBe(false);
      expect(res.body.thrown).toMatch(/^MessagesService was used where no request is followed: .*Inject MessagesService where it is used/);
    } finally {
      await t.close();
    }
  });

  it.each(PLATFORMS)("leaves Nest's adapter no request hook of the module's once its first request has decided (%s)", async (platform) => {
    const t = await startTestApp({ platform, ajax: {}, controllers: [DynamicController] });
    try {
      const adapter = t.app.getHttpAdapter() as unknown as { onRequestHook?: unknown };
      // Until then the module's hook is there, to decide at the first request.
      expect(typeof adapter.onRequestHook).toBe('function');
      await t.http().get('/dynamic').expect(200);
      expect(adapter.onRequestHook).toBeUndefined();
      await t.http().get('/dynamic').expect(200);
    } finally {
      await t.close();
    }
  });

  it.each(PLATFORMS)("runs the app's own request hook on every request, before and after the module's is gone (%s)", async (platform) => {
    const t = await startTestApp({ platform, ajax: {}, controllers: [DynamicController] });
    try {
      const adapter = t.app.getHttpAdapter() as unknown as {
        onRequestHook?: unknown;
        setOnRequestHook(hook: (req: { url?: string }, res: unknown, done: () => void) => unknown): void;
      };
      const seen: string[] = [];
      adapter.setOnRequestHook(function own(req, _res, done) {
        seen.push(String(req.url));
        done();
      });
      for (let i = 0; i < 3; i++) await t.http().get('/dynamic').expect(200);
      expect(seen).toEqual(['/dynamic', '/dynamic', '/dynamic']);
      expect((adapter.onRequestHook as { name?: string }).name).toBe('own');
    } finally {
      await t.close();
    }
  });
});

describe.each(PLATFORMS)('on %s, every way of asking for MessagesService follows the requests', (platform) => {
  it.each(CASES)('%s', async (_name, providers) => {
    const t = await startTestApp({ platform, ajax: {}, controllers: [AddController, DynamicController], providers });
    try {
      await t.http().get('/add').expect(200, { ok: true, messages: [{ message: 'added', tags: 'info' }] });
      // ModuleRef's service works too, once the app follows its requests.
      const res = await t.http().get('/dynamic').expect(200);
      expect(res.body).toEqual({ followed: true, thrown: null, messages: [{ message: 'reached dynamically', tags: 'info' }] });
    } finally {
      await t.close();
    }
  });

  it('a guard class applied with @UseGuards() and provided nowhere else', async () => {
    const t: TestApp = await startTestApp({ platform, ajax: {}, controllers: [GuardedController] });
    try {
      await t.http().get('/guarded').expect(200, { ok: true, messages: [{ message: 'from the guard', tags: 'info' }] });
    } finally {
      await t.close();
    }
  });

  it('a Nest middleware class', async () => {
    const t = await startTestApp({ platform, ajax: {}, imports: [MiddlewareModule] });
    try {
      await t.http().get('/plain').expect(200, { ok: true, messages: [{ message: 'from the middleware', tags: 'info' }] });
    } finally {
      await t.close();
    }
  });
});
