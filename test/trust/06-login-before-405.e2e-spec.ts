import { All, Controller, Get, HttpCode, Post, Put, Req, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AJAX_OPTIONS } from '../../lib/ajax.constants.js';
import { Ajax, AjaxAuthGuard, AllowAnonymous } from '../../lib/index.js';
import { PLATFORMS, startTestApp, type TestApp } from '../fixtures/test-app.js';
import { JSON_TYPE, METHOD_NOT_ALLOWED, UNAUTHORIZED } from './trust-helpers.js';

/**
 * Decision 6: with the global filter, a known path asked with another method,
 * when every route serving that path requires a log-in and the visitor is
 * anonymous, is a 401 (WWW-Authenticate: Session, the 401 body, no Allow).
 * Signed in: 405 with Allow. If some route on the path does not require a
 * log-in: 405 with Allow.
 */

@Controller('p6')
class HandlerLevelController {
  @Post('ajax-handler')
  @Ajax({ loginRequired: true })
  ajaxHandler(): object {
    return { ok: true };
  }

  @Post('guard-handler')
  @UseGuards(AjaxAuthGuard)
  guardHandler(): object {
    return { ok: true };
  }

  /** Two routes on one path, both signed-in only, by different means. */
  @Post('both')
  @Ajax({ loginRequired: true })
  bothPost(): object {
    return { ok: true };
  }

  @Put('both')
  @UseGuards(AjaxAuthGuard)
  bothPut(): object {
    return { ok: true };
  }

  /** Two routes on one path, only one signed-in only. */
  @Post('mixed')
  @Ajax({ loginRequired: true })
  mixedPost(): object {
    return { ok: true };
  }

  @Put('mixed')
  @Ajax()
  mixedPut(): object {
    return { ok: true };
  }

  /** Every method, signed-in only: Fastify routes only its own list of methods for it, not PROPFIND or MKCOL. */
  @All('every-method')
  @Ajax({ loginRequired: true })
  everyMethod(): object {
    return { ok: true };
  }

  /** Every method, only POST accepted: Fastify registers it for its own list of methods, not PROPFIND. */
  @All('post-only')
  @Ajax({ requirePost: true })
  postOnly(): object {
    return { ok: true };
  }

  @Post('login')
  @HttpCode(200)
  login(@Req() req: Request & { session: Record<string, unknown> }): object {
    req.session.userId = 'ada';
    return { signedIn: true };
  }
}

@Controller('p6/ajax-class')
@Ajax({ loginRequired: true })
class AjaxClassController {
  @Post()
  create(): object {
    return { ok: true };
  }

  @Post('open')
  @AllowAnonymous()
  open(): object {
    return { ok: true };
  }
}

@Controller('p6/guard-class')
@UseGuards(AjaxAuthGuard)
class GuardClassController {
  @Post()
  create(): object {
    return { ok: true };
  }

  @Post('open')
  @AllowAnonymous()
  open(): object {
    return { ok: true };
  }

  @Post('ajax-open')
  @Ajax({ loginRequired: false })
  ajaxOpen(): object {
    return { ok: true };
  }
}

/** Served only to another host: for this one, the path is not there at all. */
@Controller({ path: 'p6/admin', host: 'admin.example.com' })
class OtherHostController {
  @Get('secret')
  @Ajax({ loginRequired: true })
  secret(): object {
    return { ok: true };
  }
}

/** A POST route served only to another host, signed-in only. */
@Controller({ path: 'p6/admin-form', host: 'admin.example.com' })
class OtherHostFormController {
  @Post()
  @Ajax({ loginRequired: true })
  submit(): object {
    return { ok: true };
  }
}

/** A POST route served to the hosts of a pattern with a parameter, open. */
@Controller({ path: 'p6/tenant-form', host: ':tenant.example.com' })
class TenantFormController {
  @Post()
  @Ajax()
  submit(): object {
    return { ok: true };
  }
}

/** A host given as a RegExp, and a list of hosts. */
@Controller({ path: 'p6/api-form', host: /^api\./ })
class RegExpHostController {
  @Post()
  @Ajax()
  submit(): object {
    return { ok: true };
  }
}

@Controller({ path: 'p6/listed-form', host: ['one.example', 'two.example'] })
class ListedHostsController {
  @Post()
  @Ajax()
  submit(): object {
    return { ok: true };
  }
}

/** A POST action a host-bound controller and a controller of every host share through their base class. */
class SharedFormActions {
  @Post('send')
  send(): object {
    return { ok: true };
  }
}

@Controller({ path: 'p6/shared-admin', host: 'admin.example.com' })
@Ajax()
class SharedAdminController extends SharedFormActions {}

@Controller('p6/shared-public')
@Ajax()
class SharedPublicController extends SharedFormActions {}

/** Every method, for one host: Nest 11's adapter registers it without its route config. */
@Controller({ path: 'p6/admin-all', host: 'admin.example.com' })
class AdminAllController {
  @All()
  @Ajax()
  every(): object {
    return { ok: true };
  }
}

const LOGIN_ONLY = ['/p6/ajax-handler', '/p6/guard-handler', '/p6/ajax-class', '/p6/guard-class', '/p6/both'];

describe.each(PLATFORMS)('on %s', (platform) => {
  describe('decision 6: a wrong method on a signed-in-only path asks for the log-in first', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({
        platform,
        ajax: { global: true },
        controllers: [
          HandlerLevelController,
          AjaxClassController,
          GuardClassController,
          OtherHostController,
          OtherHostFormController,
          TenantFormController,
          RegExpHostController,
          ListedHostsController,
          SharedAdminController,
          SharedPublicController,
          AdminAllController,
        ],
      });
    });
    afterAll(() => t.close());

    it.each(LOGIN_ONLY)('anonymous GET %s: 401, WWW-Authenticate: Session, the 401 body, no Allow', async (path) => {
      const res = await t.http().get(path);
      expect([res.status, res.headers['www-authenticate'], res.headers.allow, res.headers['content-type'], res.body]).toEqual([
        401,
        'Session',
        undefined,
        JSON_TYPE,
        UNAUTHORIZED,
      ]);
    });

    it.each(LOGIN_ONLY)('anonymous DELETE %s: 401 too', async (path) => {
      const res = await t.http().delete(path);
      expect([res.status, res.headers['www-authenticate'], res.headers.allow, res.body]).toEqual([401, 'Session', undefined, UNAUTHORIZED]);
    });

    it.each(['PROPFIND', 'MKCOL'])('anonymous %s of a signed-in-only @All() path: 401, no Allow', async (method) => {
      const res = await t.http()[method.toLowerCase() as 'get'](`/p6/every-method`);
      expect([res.status, res.headers['www-authenticate'], res.headers.allow, res.body]).toEqual([401, 'Session', undefined, UNAUTHORIZED]);
    });

    it.each(['PROPFIND', 'GET', 'DELETE'])('%s to an @All() path that accepts only POST: 405 with Allow: POST', async (method) => {
      const res = await t.http()[method.toLowerCase() as 'get']('/p6/post-only');
      expect([res.status, res.headers.allow, res.body]).toEqual([405, 'POST', METHOD_NOT_ALLOWED]);
    });

    it('a route that has the method but did not answer (another host) is a plain 404: neither 401 nor 405 tells the path exists', async () => {
      const res = await t.http().get('/p6/admin/secret');
      expect([res.status, res.headers['www-authenticate'], res.headers.allow, res.body]).toEqual([
        404,
        undefined,
        undefined,
        { status: 'error', error: 'Not found', message: 'Cannot GET /p6/admin/secret' },
      ]);
    });

    it('another method on a path only another host serves is a plain 404 too, signed in or not: no Allow shows its route', async () => {
      const visitor = t.agent();
      expect((await visitor.post('/p6/login')).status).toBe(200);
      const notFound = { status: 'error', error: 'Not found', message: 'Cannot GET /p6/admin-form' };
      for (const res of [await t.http().get('/p6/admin-form'), await visitor.get('/p6/admin-form')]) {
        expect([res.status, res.headers['www-authenticate'], res.headers.allow, res.body]).toEqual([404, undefined, undefined, notFound]);
      }
      const tenant = await t.http().get('/p6/tenant-form').set('Host', 'example.org');
      expect([tenant.status, tenant.headers.allow]).toEqual([404, undefined]);
    });

    it('to the host it serves, the same path answers as any other: 401 anonymous, 405 with Allow signed in', async () => {
      const anonymous = await t.http().get('/p6/admin-form').set('Host', 'admin.example.com');
      expect([anonymous.status, anonymous.headers.allow, anonymous.body]).toEqual([401, undefined, UNAUTHORIZED]);
      const visitor = t.agent();
      expect((await visitor.post('/p6/login')).status).toBe(200);
      const signedIn = await visitor.get('/p6/admin-form').set('Host', 'Admin.Example.com');
      expect([signedIn.status, signedIn.headers.allow, signedIn.body]).toEqual([405, 'POST', METHOD_NOT_ALLOWED]);
      const tenant = await t.http().get('/p6/tenant-form').set('Host', 'acme.example.com');
      expect([tenant.status, tenant.headers.allow, tenant.body]).toEqual([405, 'POST', METHOD_NOT_ALLOWED]);
    });

    it.each([
      ['/p6/api-form', 'api.example.com', 405],
      ['/p6/api-form', 'www.example.com', 404],
      ['/p6/listed-form', 'two.example', 405],
      ['/p6/listed-form', 'three.example', 404],
      // Shared by a controller of one host and one of every host: the method's routes answer that one host only.
      ['/p6/shared-admin/send', 'admin.example.com', 405],
      ['/p6/shared-admin/send', 'www.example.com', 404],
      ['/p6/shared-public/send', 'www.example.com', 404],
    ])('GET %s to host %s: %s', async (path, host, status) => {
      const res = await t.http().get(path).set('Host', host);
      expect([res.status, res.headers.allow]).toEqual(status === 405 ? [405, 'POST'] : [404, undefined]);
    });

    it('a method no route has, on a path only another host\'s @All() route serves: 404', async () => {
      const res = await t.http().propfind('/p6/admin-all').set('Host', 'www.example.com');
      expect([res.status, res.headers.allow]).toEqual([404, undefined]);
    });

    describe('controls', () => {
      it.each([
        ['/p6/ajax-handler', 'POST'],
        ['/p6/guard-handler', 'POST'],
        ['/p6/ajax-class', 'POST'],
        ['/p6/guard-class', 'POST'],
        ['/p6/both', 'POST, PUT'],
      ])('signed in, GET %s: 405 with Allow %s', async (path, allow) => {
        const visitor = t.agent();
        expect((await visitor.post('/p6/login')).status).toBe(200);
        const res = await visitor.get(path);
        expect([res.status, res.headers.allow, res.headers['www-authenticate'], res.body]).toEqual([405, allow, undefined, METHOD_NOT_ALLOWED]);
      });

      it.each([
        ['/p6/mixed', 'POST, PUT'],
        ['/p6/ajax-class/open', 'POST'],
        ['/p6/guard-class/open', 'POST'],
        ['/p6/guard-class/ajax-open', 'POST'],
      ])('anonymous GET %s, where some route needs no log-in: 405 with Allow %s', async (path, allow) => {
        const res = await t.http().get(path);
        expect([res.status, res.headers.allow, res.headers['www-authenticate'], res.body]).toEqual([405, allow, undefined, METHOD_NOT_ALLOWED]);
      });

      it('anonymous POST to a signed-in-only route: 401 as before', async () => {
        const res = await t.http().post('/p6/ajax-handler');
        expect([res.status, res.headers['www-authenticate'], res.body]).toEqual([401, 'Session', UNAUTHORIZED]);
      });
    });
  });

  // Fastify routes strictly by default; these options make it route as Express does.
  (platform === 'fastify' ? describe : describe.skip)('decision 6 with a router that ignores letter case and a trailing slash', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({
        platform,
        fastifyRouter: { ignoreTrailingSlash: true, caseSensitive: false },
        ajax: { global: true },
        controllers: [AjaxClassController],
      });
    });
    afterAll(() => t.close());

    it.each(['/p6/ajax-class/open', '/P6/Ajax-Class/Open', '/p6/ajax-class/open/'])(
      'anonymous GET %s of an open POST route: 405 with Allow: POST, as on Express',
      async (path) => {
        const res = await t.http().get(path);
        expect([res.status, res.headers.allow]).toEqual([405, 'POST']);
      },
    );

    it.each(['/p6/ajax-class', '/P6/AJAX-CLASS/'])('anonymous GET %s of a signed-in-only path: 401, no Allow', async (path) => {
      const res = await t.http().get(path);
      expect([res.status, res.headers.allow]).toEqual([401, undefined]);
    });
  });
});

/** A handler two controllers share through their base class: open in one, signed-in only in the other. */
class SharedActions {
  @Post('act')
  act(): object {
    return { ok: true };
  }
}

@Controller('p6/shared-open')
@Ajax()
class SharedOpenController extends SharedActions {}

@Controller('p6/shared-closed')
@Ajax({ loginRequired: true })
class SharedClosedController extends SharedActions {}

/** Routes with no guard of their own, under the app's `app.useGlobalGuards(new AjaxAuthGuard(…))`. */
@Controller('p6/global-guard')
class UnguardedController {
  @Post()
  create(): object {
    return { ok: true };
  }

  @Post('open')
  @AllowAnonymous()
  open(): object {
    return { ok: true };
  }
}

describe.each(PLATFORMS)('decision 6 on %s, where the tag is harder to see', (platform) => {
  describe('a guard given to app.useGlobalGuards()', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({
        platform,
        ajax: { global: true },
        controllers: [UnguardedController],
        configure: (app) => app.useGlobalGuards(new AjaxAuthGuard(app.get(Reflector), app.get(AJAX_OPTIONS))),
      });
    });
    afterAll(() => t.close());

    it('anonymous GET of a path it makes signed-in only: 401, no Allow', async () => {
      const res = await t.http().get('/p6/global-guard');
      expect([res.status, res.headers['www-authenticate'], res.headers.allow, res.body]).toEqual([401, 'Session', undefined, UNAUTHORIZED]);
    });

    it('controls: the guard is on (an anonymous POST gets 401), and a path it leaves open tells its methods', async () => {
      expect((await t.http().post('/p6/global-guard')).status).toBe(401);
      const open = await t.http().get('/p6/global-guard/open');
      expect([open.status, open.headers.allow]).toEqual([405, 'POST']);
    });
  });

  describe("a base class's handler, signed-in only under one controller and open under another", () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ platform, ajax: { global: true }, controllers: [SharedOpenController, SharedClosedController] });
    });
    afterAll(() => t.close());

    it('anonymous GET of the signed-in-only path: 401, no Allow', async () => {
      const res = await t.http().get('/p6/shared-closed/act');
      expect([res.status, res.headers['www-authenticate'], res.headers.allow, res.body]).toEqual([401, 'Session', undefined, UNAUTHORIZED]);
    });

    it("the open path tells no more: 401 too, as the tag is the shared handler's (the route itself still lets anonymous visitors in)", async () => {
      const wrongMethod = await t.http().get('/p6/shared-open/act');
      expect([wrongMethod.status, wrongMethod.headers.allow]).toEqual([401, undefined]);
      const open = await t.http().post('/p6/shared-open/act');
      const closed = await t.http().post('/p6/shared-closed/act');
      expect([open.status, closed.status]).toEqual([201, 401]);
    });
  });
});
