import { Controller, Delete, Get, Param, Post, Put, VersioningType } from '@nestjs/common';
import { PLATFORMS, startTestApp, type TestApp } from '../fixtures/test-app.js';

/** A versioned controller: v1 and v2 of one path have different methods. */
@Controller({ path: 'versioned', version: '1' })
class VersionOneController {
  @Get()
  read(): object {
    return { version: 1 };
  }
}

@Controller({ path: 'versioned', version: '2' })
class VersionTwoController {
  @Post()
  write(): object {
    return { version: 2 };
  }
}

@Controller('items')
class ItemsController {
  @Get()
  list(): object {
    return { items: [] };
  }

  @Post()
  create(): object {
    return { created: true };
  }

  @Put(':id')
  replace(@Param('id') id: string): object {
    return { replaced: id };
  }

  @Delete(':id')
  remove(@Param('id') id: string): object {
    return { removed: id };
  }

  @Post('tally/vote')
  vote(): object {
    return { voted: true };
  }
}

const METHOD_NOT_ALLOWED = { status: 'error', error: 'Method not allowed' };

describe.each(PLATFORMS)('on %s', (platform) => {
  describe.each([
    ['no prefix', ''],
    ['a global prefix', '/api'],
  ])('a known path asked with another method (%s)', (_name, prefix) => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ platform,
        ajax: { global: true },
        controllers: [ItemsController],
        configure: (app) => {
          if (prefix) app.setGlobalPrefix(prefix.slice(1));
        },
      });
    });
    afterAll(() => t.close());

    it('answers 405 with the methods the path has, for routes without any method metadata', async () => {
      const res = await t.http().get(`${prefix}/items/tally/vote`);
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe('POST');
      expect(res.body).toEqual(METHOD_NOT_ALLOWED);
    });

    it('lists every method of the path, HEAD with GET', async () => {
      const res = await t.http().delete(`${prefix}/items`);
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe('GET, POST, HEAD');
    });

    it('matches paths with parameters', async () => {
      const res = await t.http().post(`${prefix}/items/42`);
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe('PUT, DELETE');
    });

    it('still answers 404 for a path no route has', async () => {
      const res = await t.http().post(`${prefix}/nothing/here`);
      expect(res.status).toBe(404);
      expect(res.headers.allow).toBeUndefined();
      expect(res.body).toEqual({ status: 'error', error: 'Not found', message: `Cannot POST ${prefix}/nothing/here` });
    });

    it('ignores the query string when matching', async () => {
      const res = await t.http().get(`${prefix}/items/tally/vote?x=1`);
      expect(res.status).toBe(405);
    });

    it('keeps a 404 the handler throws itself', async () => {
      const res = await t.http().get(`${prefix}/items`);
      expect(res.status).toBe(200);
    });
  });

  describe('with URI versioning', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({
        platform,
        ajax: { global: true },
        controllers: [VersionOneController, VersionTwoController],
        configure: (app) => app.enableVersioning({ type: VersioningType.URI }),
      });
    });
    afterAll(() => t.close());

    it('answers 405 with the methods of that version\'s path, not another version\'s', async () => {
      const v1 = await t.http().post('/v1/versioned');
      expect([v1.status, v1.headers.allow, v1.body]).toEqual([405, 'GET, HEAD', METHOD_NOT_ALLOWED]);
      const v2 = await t.http().get('/v2/versioned');
      expect([v2.status, v2.headers.allow, v2.body]).toEqual([405, 'POST', METHOD_NOT_ALLOWED]);
    });

    it('answers 404 for a version no route has', async () => {
      const res = await t.http().get('/v3/versioned');
      expect(res.status).toBe(404);
      expect(res.headers.allow).toBeUndefined();
    });
  });
});
