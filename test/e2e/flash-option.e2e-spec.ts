import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Test } from '@nestjs/testing';
import { AjaxConfigurationError, AjaxModule, type AjaxModuleOptions, type MessageStorage } from '../../lib/index.js';
import { captureLogs } from '../fixtures/capture-logs.js';
import { ConnectFlashController, flashCalls, json } from '../fixtures/connect-flash-fixtures.js';
import { PLATFORMS, startTestApp, type TestApp } from '../fixtures/test-app.js';

/** A storage of the app's own, without `takeMatching()`. */
const ownStorage: MessageStorage = { add: () => undefined, peek: () => [], take: () => [] };

/** What starting the app gives: the error its start-up fails with, or undefined when it starts (then closed). */
async function startUp(options: Parameters<typeof startTestApp>[0]): Promise<unknown> {
  let t: TestApp | undefined;
  try {
    t = await startTestApp(options);
    return undefined;
  } catch (error) {
    return error;
  } finally {
    await t?.close();
  }
}

/** A `flash` on every request of the app before the module is set up: what `@fastify/flash` decorates, or a patch of Express's requests. */
function otherFlash(app: INestApplication): void {
  const instance = app.getHttpAdapter().getInstance();
  if (app.getHttpAdapter().getType() === 'fastify') instance.decorateRequest('flash', function otherFlash() {});
  else instance.request.flash = function otherFlash() {};
}

/**
 * The `flash` option is checked like every other, given by forRoot or by
 * forRootAsync's factory, and fails the start-up when the request already
 * has a `flash()` of another plugin, or the storage cannot take one type.
 */
describe('the flash option', () => {
  it.each([
    [{ flash: 'yes' }, /^AjaxModule option "flash" must be true or false; got "yes"\.$/],
    [{ flash: 1 }, /^AjaxModule option "flash" must be true or false; got 1\.$/],
    [{ flash: true, messages: { storage: ownStorage } }, /^AjaxModule option "messages\.storage" must have takeMatching\(req, matches\) with flash: true.*or leave flash out; got an object \(Object\)\.$/],
  ])('forRoot(%j) fails with an AjaxConfigurationError naming the option and what it takes', (options, message) => {
    expect(() => AjaxModule.forRoot(options as AjaxModuleOptions)).toThrow(AjaxConfigurationError);
    expect(() => AjaxModule.forRoot(options as AjaxModuleOptions)).toThrow(message);
  });

  it('a storage without takeMatching() is fine without flash (control)', () => {
    expect(() => AjaxModule.forRoot({ flash: false, messages: { storage: ownStorage } })).not.toThrow();
  });

  it('forRootAsync\'s factory checks it too', async () => {
    const compile = Test.createTestingModule({ imports: [AjaxModule.forRootAsync({ useFactory: () => ({ flash: 'yes' }) as never })] }).compile();
    await expect(compile).rejects.toThrow(/^AjaxModule\.forRootAsync\(\)'s factory option "flash" must be true or false; got "yes"\.$/);
  });

  describe.each(PLATFORMS)('on %s', (platform) => {
    it('forRootAsync\'s factory can give it: requests get req.flash()', async () => {
      const t = await startTestApp({
        platform,
        ajax: null,
        imports: [AjaxModule.forRootAsync({ useFactory: async () => ({ flash: true }) })],
        controllers: [ConnectFlashController],
      });
      try {
        const visitor = t.agent();
        expect((await visitor.get('/cf/installed')).body).toEqual({ flash: 'function', own: false });
        expect(await flashCalls(visitor, true, ['error', 'Invalid.'])).toEqual([1]);
        expect((await visitor.get('/cf/page')).body).toEqual({ page: true, messages: [json('Invalid.', 'error')] });
      } finally {
        await t.close();
      }
    });

    it('a flash() the requests already have fails the start-up with an AjaxConfigurationError saying what to do', async () => {
      const failure = await startUp({ platform, ajax: { flash: true }, controllers: [ConnectFlashController], configure: otherFlash });
      expect(failure).toBeInstanceOf(AjaxConfigurationError);
      expect((failure as Error).message).toMatch(platform === 'fastify' ? /another plugin \(@fastify\/flash\?\).*Unregister that plugin/ : /already have one\. Remove what installs the other/);
    });

    it('without flash, another plugin\'s flash() is left alone (control)', async () => {
      expect(await startUp({ platform, ajax: {}, controllers: [ConnectFlashController], configure: otherFlash })).toBeUndefined();
    });
  });
});

/** connect-flash's middleware, as its source has it: `safe` unless registered with `unsafe: true`. */
function connectFlashMiddleware(unsafe: boolean) {
  return (req: Request & { flash?: unknown }, _res: Response, next: NextFunction): void => {
    if (req.flash && !unsafe) return next();
    req.flash = function connectFlashOwn() {};
    next();
  };
}

describe('connect-flash left registered on Express', () => {
  const errors = captureLogs('error');

  it('in its default, safe mode it leaves the module\'s req.flash() alone: its messages reach JSON responses', async () => {
    const t = await startTestApp({ ajax: { flash: true }, controllers: [ConnectFlashController], configure: (app) => app.use(connectFlashMiddleware(false)) });
    try {
      const visitor = t.agent();
      expect(await flashCalls(visitor, true, ['info', 'Kept.'])).toEqual([1]);
      expect((await visitor.get('/cf/page')).body).toEqual({ page: true, messages: [json('Kept.', 'info')] });
    } finally {
      await t.close();
    }
  });

  it('with unsafe: true its replacement of req.flash() throws an AjaxConfigurationError saying so, and the request answers the JSON 500', async () => {
    const t = await startTestApp({ ajax: { global: true, flash: true }, controllers: [ConnectFlashController], configure: (app) => app.use(connectFlashMiddleware(true)) });
    try {
      const res = await t.agent().post('/cf/calls').send({ calls: [['info', 'Lost?']] });
      expect([res.status, res.body]).toEqual([500, { status: 'error', error: 'Internal server error' }]);
      expect(errors.join('\n')).toMatch(/AjaxConfigurationError: A middleware replaced req\.flash\(\).*connect-flash registered with unsafe: true/);
    } finally {
      await t.close();
    }
  });
});
