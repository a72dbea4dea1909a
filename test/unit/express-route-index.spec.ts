import express from 'express';
import { METHODS } from 'node:http';
import { expressRoutesServingPath } from '../../lib/platform/express/route-methods.js';

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
