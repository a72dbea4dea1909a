import {
  type ArgumentsHost,
  Catch,
  Controller,
  type DynamicModule,
  type ExceptionFilter,
  Get,
  Global,
  Injectable,
  type CanActivate,
  Module,
  type NestInterceptor,
  type CallHandler,
  UseFilters,
  BadRequestException,
} from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import type { Observable } from 'rxjs';
import { MessagesService } from '../../lib/index.js';
import { ADD, type Add, AddController, addThrough, DynamicController, PlainController } from '../fixtures/request-following-fixtures.js';
import { PLATFORMS, startTestApp, type TestAppOptions } from '../fixtures/test-app.js';

/**
 * More ways an app asks Nest for `MessagesService`, each of which must have
 * the module follow the app's requests, so that the service works in them.
 */

@Injectable()
class AppMessages extends MessagesService {}

/** The service under a token of the app's own, as a class provider. */
const underToken = (useClass: typeof MessagesService): TestAppOptions['providers'] => [
  { provide: 'APP_MESSAGES', useClass },
  { provide: ADD, useFactory: (messages: MessagesService): Add => (text) => messages.info(text), inject: ['APP_MESSAGES'] },
];

@Injectable()
abstract class Notes {
  constructor(protected readonly messages: MessagesService) {}
  add(text: string): void {
    this.messages.info(text);
  }
}

@Injectable()
class InheritedNotes extends Notes {}

@Injectable()
class FeatureNotes {
  constructor(private readonly messages: MessagesService) {}
  add(text: string): void {
    this.messages.info(text);
  }
}

@Module({})
class FeatureModule {
  static register(): DynamicModule {
    return { module: FeatureModule, providers: [FeatureNotes, addThrough(FeatureNotes)], exports: [ADD] };
  }
}

@Global()
@Module({ providers: [FeatureNotes, addThrough(FeatureNotes)], exports: [ADD] })
class GlobalNotesModule {}

@Injectable()
class NoteGuard implements CanActivate {
  constructor(private readonly messages: MessagesService) {}
  canActivate(): boolean {
    this.messages.info('from the guard');
    return true;
  }
}

@Injectable()
class NoteInterceptor implements NestInterceptor {
  constructor(private readonly messages: MessagesService) {}
  intercept(_context: unknown, next: CallHandler): Observable<unknown> {
    this.messages.info('from the interceptor');
    return next.handle();
  }
}

@Catch(BadRequestException)
class NoteFilter implements ExceptionFilter {
  constructor(private readonly messages: MessagesService) {}
  catch(_exception: unknown, host: ArgumentsHost): void {
    this.messages.info('from the filter');
    const res = host.switchToHttp().getResponse<{ status?(code: number): { json?(body: unknown): void; send?(body: unknown): void }; code?(code: number): { send(body: unknown): void } }>();
    if (typeof res.code === 'function') res.code(400).send({ caught: true, level: typeof this.messages.getLevel() });
    else res.status!(400).json!({ caught: true, level: typeof this.messages.getLevel() });
  }
}

@Controller()
class FailingController {
  @Get('fails')
  @UseFilters(NoteFilter)
  fails(): object {
    throw new BadRequestException();
  }
}

/** A guard the app makes itself, for `app.useGlobalGuards()`: Nest never resolves its class. */
class HandMadeGuard implements CanActivate {
  constructor(private readonly messages: MessagesService) {}
  canActivate(): boolean {
    this.messages.info('from the hand-made guard');
    return true;
  }
}

/** The same for `app.useGlobalInterceptors()`. */
class HandMadeInterceptor implements NestInterceptor {
  constructor(private readonly messages: MessagesService) {}
  intercept(_context: unknown, next: CallHandler): Observable<unknown> {
    this.messages.info('from the hand-made interceptor');
    return next.handle();
  }
}

describe.each(PLATFORMS)('on %s, more ways of asking for MessagesService follow the requests', (platform) => {
  const CASES: Array<[string, TestAppOptions]> = [
    ['the service as the class of a provider under another token', { controllers: [AddController], providers: underToken(MessagesService) }],
    ['a subclass as the class of a provider under another token', { controllers: [AddController], providers: underToken(AppMessages) }],
    ['a constructor inherited from a parent class', { controllers: [AddController], providers: [InheritedNotes, addThrough(InheritedNotes)] }],
    ['a provider of a dynamic module', { controllers: [AddController], imports: [FeatureModule.register()] }],
    ['a provider of a global module', { controllers: [AddController], imports: [GlobalNotesModule] }],
  ];

  it.each(CASES)('%s', async (_name, options) => {
    const t = await startTestApp({ platform, ajax: {}, ...options });
    try {
      await t.http().get('/add').expect(200, { ok: true, messages: [{ message: 'added', tags: 'info' }] });
    } finally {
      await t.close();
    }
  });

  const APP_ENHANCERS: Array<[string, TestAppOptions['providers'], string]> = [
    ['a guard provided as APP_GUARD', [{ provide: APP_GUARD, useClass: NoteGuard }], 'from the guard'],
    ['an interceptor provided as APP_INTERCEPTOR', [{ provide: APP_INTERCEPTOR, useClass: NoteInterceptor }], 'from the interceptor'],
  ];

  it.each(APP_ENHANCERS)('%s', async (_name, providers, message) => {
    const t = await startTestApp({ platform, ajax: {}, controllers: [PlainController], providers });
    try {
      await t.http().get('/plain').expect(200, { ok: true, messages: [{ message, tags: 'info' }] });
    } finally {
      await t.close();
    }
  });

  it('a guard and an interceptor made by the app with app.get(MessagesService) and given to app.useGlobalGuards() and app.useGlobalInterceptors()', async () => {
    const t = await startTestApp({
      platform,
      ajax: {},
      controllers: [PlainController],
      configure(app) {
        app.useGlobalGuards(new HandMadeGuard(app.get(MessagesService)));
        app.useGlobalInterceptors(new HandMadeInterceptor(app.get(MessagesService)));
      },
    });
    try {
      await t
        .http()
        .get('/plain')
        .expect(200, { ok: true, messages: [{ message: 'from the hand-made guard', tags: 'info' }, { message: 'from the hand-made interceptor', tags: 'info' }] });
    } finally {
      await t.close();
    }
  });

  it('an exception filter applied with @UseFilters()', async () => {
    const t = await startTestApp({ platform, ajax: {}, controllers: [FailingController] });
    try {
      await t.http().get('/fails').expect(400, { caught: true, level: "number" });
    } finally {
      await t.close();
    }
  });
});

describe.each(PLATFORMS)('on %s, two apps in one process', (platform) => {
  it('the one that follows no request says so, while the other follows its own', async () => {
    const following = await startTestApp({ platform, ajax: {}, controllers: [AddController], providers: [FeatureNotes, addThrough(FeatureNotes)] });
    const other = await startTestApp({ platform, ajax: {}, controllers: [DynamicController] });
    try {
      await following.http().get('/add').expect(200, { ok: true, messages: [{ message: 'added', tags: 'info' }] });
      const res = await other.http().get('/dynamic').expect(200);
      expect(res.body.thrown).toMatch(/^MessagesService was used where no request is followed: /);
      await following.http().get('/add').expect(200, { ok: true, messages: [{ message: 'added', tags: 'info' }] });
    } finally {
      await other.close();
      await following.close();
    }
  });
});
