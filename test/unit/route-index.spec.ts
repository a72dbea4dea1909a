import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import { METHODS } from 'node:http';
import { LOGIN_REQUIRED_ROUTE_KEY } from '../../lib/ajax.constants.js';
import { expressRoutesServingPath } from '../../lib/platform/express/route-methods.js';
import { fastifyRoutesServingPath, recordRoutes } from '../../lib/platform/fastify/route-methods.js';

type Layer = { route?: { methods: Record<string, boolean> }; match(path: string): unknown };

/** What a lookup of every route finds: the index must never change it. */
function scanAll(app: express.Express, path: string): string[] {
  const methods = new Set<string>();
  for (const layer of (app as unknown as { router: { stack: Layer[] } }).router.stack) {
    if (!layer.route || !layer.match(path)) continue;
    if (layer.route.methods._all || METHODS.every((m) => layer.route!.methods[m.toLowerCase()])) continue;
    for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== '_all') methods.add(method.toUpperCase());
  }
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods];
}

function served(app: express.Express, path: string): string[] {
  return [...expressRoutesServingPath({ method: 'OPTIONS', originalUrl: path, app: app as never }).methods];
}

const noop = (_req: unknown, res: express.Response): void => void res.end();

/** Route shapes of Express 5's syntax: static, parameters, wildcards, optional groups, a RegExp, letter case. */
function appWith(caseSensitive: boolean): express.Express {
  const app = express();
  app.set('case sensitive routing', caseSensitive);
  app.get('/api/polls', noop);
  app.post('/api/polls', noop);
  app.put('/api/polls/:id', noop);
  app.delete('/API/Polls/:id', noop);
  app.patch('/api/polls/:id/vote', noop);
  app.get('/api/files/*rest', noop);
  app.post('/api/things{/:id}', noop);
  app.get('/:tenant/home', noop);
  app.put(/^\/regex\/\d+$/, noop);
  app.get('/report.:format', noop);
  app.all('/anything', noop);
  app.get(['/one', '/two/:x'], noop);
  for (let i = 0; i < 200; i++) app.get(`/r${i}/item/:id`, noop);
  return app;
}

const PATHS = [
  '/api/polls', '/api/polls/', '/API/POLLS', '/api/polls/7', '/api/Polls/7', '/api/polls/7/vote', '/api/polls/7/vote/x',
  '/api/files/a/b/c', '/api/files', '/api/things', '/api/things/3', '/acme/home', '/api/home', '/regex/12', '/regex/x',
  '/report.json', '/report', '/anything', '/one', '/two/2', '/two', '/r0/item/1', '/r199/item/9', '/r200/item/9',
  '/R17/ITEM/3', '//api/polls', '/', '/nowhere', '/api/polls%2F7',
];

describe('the Express route index behind 405s', () => {
  for (const caseSensitive of [false, true]) {
    it(`finds exactly what a lookup of every route finds (case ${caseSensitive ? 'sensitive' : 'insensitive'})`, () => {
      const app = appWith(caseSensitive);
      for (const path of PATHS) expect({ path, methods: served(app, path).sort() }).toEqual({ path, methods: scanAll(app, path).sort() });
    });
  }

  it('sees routes added after the first lookup', () => {
    const app = appWith(false);
    expect(served(app, '/late/path')).toEqual([]);
    app.put('/late/:thing', noop);
    expect(served(app, '/late/path')).toEqual(['PUT']);
  });

  it('keeps the registration order of the methods', () => {
    const app = express();
    app.post('/order/:id', noop);
    app.get('/order/:id', noop);
    app.delete('/order/1', noop);
    expect(served(app, '/order/1')).toEqual(['POST', 'GET', 'DELETE', 'HEAD']);
  });
});

describe('the Fastify route index behind 405s', () => {
  /** An app whose routes are recorded as the module records them; `tagged` routes require a log-in. */
  async function fastifyWith(options: Record<string, unknown>, routes: Array<[string, string, boolean?]>): Promise<FastifyInstance> {
    const app = Fastify(options);
    recordRoutes(app as never);
    for (const [method, url, tagged] of routes) {
      app.route({ method, url, config: { [LOGIN_REQUIRED_ROUTE_KEY]: tagged === true }, handler: async () => ({}) });
    }
    await app.ready();
    return app;
  }

  const servedOn = (app: FastifyInstance, url: string) => fastifyRoutesServingPath({ server: app, raw: { url }, url, method: 'OPTIONS' } as never);

  // Many routes before the ones probed, so a look at only some of them that missed one would show.
  const filler: Array<[string, string]> = Array.from({ length: 300 }, (_, i) => ['GET', `/f${i}/item/:id`]);

  it('lists the methods in registration order and tells whether all require a log-in, however the path is spelt', async () => {
    const app = await fastifyWith({ routerOptions: { caseSensitive: false, ignoreTrailingSlash: true, ignoreDuplicateSlashes: true } }, [
      ...filler,
      ['POST', '/api/polls/:id/vote', true],
      ['GET', '/api/polls/:id/vote', true],
      ['DELETE', '/api/polls/:id', true],
      ['PUT', '/api/polls/:id'],
      ['PATCH', '/files/*'],
      ['PUT', '/caf\u00e9/menu'],
    ]);
    try {
      for (const url of ['/api/polls/7/vote', '/API/Polls/7/Vote', '/api/polls/7/vote/', '/api//polls/7/vote', '/api/poll%73/7/vote']) {
        expect({ url, ...servedOn(app, url) }).toEqual({ url, methods: ['POST', 'GET', 'HEAD'], loginRequired: true });
      }
      expect(servedOn(app, '/api/polls/7')).toEqual({ methods: ['DELETE', 'PUT'], loginRequired: false });
      expect(servedOn(app, '/files/a/b')).toEqual({ methods: ['PATCH'], loginRequired: false });
      expect(servedOn(app, '/caf%C3%A9/menu')).toEqual({ methods: ['PUT'], loginRequired: false });
      expect(servedOn(app, '/f299/item/1')).toEqual({ methods: ['GET', 'HEAD'], loginRequired: false });
      expect(servedOn(app, '/nowhere').methods).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('sees routes registered by an encapsulated plugin', async () => {
    const app = Fastify();
    recordRoutes(app as never);
    for (const [method, url] of filler) app.route({ method, url, handler: async () => ({}) });
    await app.register(async (child) => {
      child.put('/late/:thing', async () => ({}));
    });
    await app.ready();
    try {
      expect(servedOn(app, '/late/x')).toEqual({ methods: ['PUT'], loginRequired: false });
    } finally {
      await app.close();
    }
  });
});
