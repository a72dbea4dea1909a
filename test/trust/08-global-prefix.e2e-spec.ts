import { Controller, Get, Post } from '@nestjs/common';
import type { GlobalPrefixOptions } from '@nestjs/common/interfaces/global-prefix-options.interface.js';
import { NEST_MAJOR } from '../fixtures/nest-version.js';
import { PLATFORMS, startTestApp, type TestApp } from '../fixtures/test-app.js';
import { JSON_TYPE, METHOD_NOT_ALLOWED } from './trust-helpers.js';

/**
 * Decision 8: with setGlobalPrefix('api') (also with { exclude: ['health'] })
 * and global: true, GET /nowhere is a 404 JSON body
 * `{"status":"error","error":"Not found","message":"Cannot GET /nowhere"}`;
 * POST /health (the excluded route, GET only) is a 405 with Allow: GET, HEAD.
 */

@Controller()
class HealthController {
  @Get('health')
  health(): { healthy: true } {
    return { healthy: true };
  }
}

@Controller('polls')
class PollsController {
  @Get()
  list(): { polls: [] } {
    return { polls: [] };
  }

  @Post()
  create(): { created: true } {
    return { created: true };
  }
}

describe.each<[string, GlobalPrefixOptions | undefined]>([
  ['setGlobalPrefix("api")', undefined],
  ['setGlobalPrefix("api", { exclude: ["health"] })', { exclude: ['health'] }],
])('decision 8: %s with global: true', (_name, prefixOptions) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      ajax: { global: true },
      controllers: [HealthController, PollsController],
      configure: (app) => app.setGlobalPrefix('api', prefixOptions),
    });
  });
  afterAll(() => t.close());

  it.each([
    ['get', '/nowhere', 'Cannot GET /nowhere'],
    ['post', '/nowhere', 'Cannot POST /nowhere'],
    ['get', '/polls', 'Cannot GET /polls'],
    ['get', '/', 'Cannot GET /'],
  ] as const)('%s %s outside the prefix: 404 JSON', async (method, path, message) => {
    const res = await t.http()[method](path);
    expect([res.status, res.headers['content-type'], res.body]).toEqual([404, JSON_TYPE, { status: 'error', error: 'Not found', message }]);
  });

  // Nest 12 mounts its own not-found handler inside the prefix only, so a route
  // added to Express later answers outside it; Nest 11 mounts it at the root,
  // ahead of any later route, and the filter renders its 404.
  it(`a plain Express route added after the app started ${NEST_MAJOR >= 12 ? 'still answers' : 'is behind Nest 11\'s JSON 404'} outside the prefix`, async () => {
    const express = t.app.getHttpAdapter().getInstance() as { get(path: string, handler: (req: unknown, res: { json(body: unknown): void }) => void): void };
    express.get('/late', (_req, res) => res.json({ late: true }));
    const res = await t.http().get('/late');
    if (NEST_MAJOR >= 12) expect([res.status, res.body]).toEqual([200, { late: true }]);
    else expect([res.status, res.body]).toEqual([404, { status: 'error', error: 'Not found', message: 'Cannot GET /late' }]);
  });

  it('GET /api/nowhere inside the prefix: 404 JSON (control)', async () => {
    const res = await t.http().get('/api/nowhere');
    expect([res.status, res.headers['content-type'], res.body]).toEqual([
      404,
      JSON_TYPE,
      { status: 'error', error: 'Not found', message: 'Cannot GET /api/nowhere' },
    ]);
  });

  it('DELETE /api/polls: 405 with Allow: GET, POST, HEAD (control)', async () => {
    const res = await t.http().delete('/api/polls');
    expect([res.status, res.headers.allow, res.body]).toEqual([405, 'GET, POST, HEAD', METHOD_NOT_ALLOWED]);
  });
});

describe.each(PLATFORMS)('on %s', (platform) => {
  describe('decision 8: the route excluded from the prefix', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ platform,
        ajax: { global: true },
        controllers: [HealthController, PollsController],
        configure: (app) => app.setGlobalPrefix('api', { exclude: ['health'] }),
      });
    });
    afterAll(() => t.close());

    it.each(['post', 'put', 'delete'] as const)('%s /health (GET only): 405 with Allow: GET, HEAD', async (method) => {
      const res = await t.http()[method]('/health');
      expect([res.status, res.headers.allow, res.headers['content-type'], res.body]).toEqual([405, 'GET, HEAD', JSON_TYPE, METHOD_NOT_ALLOWED]);
    });

    it('GET /health answers (control)', async () => {
      const res = await t.http().get('/health');
      expect([res.status, res.body]).toEqual([200, { healthy: true }]);
    });

    it('GET /api/health is not the excluded route: 404 JSON (control)', async () => {
      const res = await t.http().get('/api/health');
      expect([res.status, res.body]).toEqual([404, { status: 'error', error: 'Not found', message: 'Cannot GET /api/health' }]);
    });
  });
});
