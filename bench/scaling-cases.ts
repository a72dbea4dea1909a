import { BODY, withMessages } from './controllers.js';
import type { Expected, Method } from './target.js';

/**
 * The "cost as work grows" section: what its apps are and what it asks of
 * them. Each curve is the same request as the work behind it grows: routes
 * in the app, messages in one answer, sessions spread over the load. No Nest
 * module is built here: scaling-apps.ts builds them, in the server processes.
 */

/** The platforms the section runs on, each with its session plugin, as the variants do. */
export type ScalingPlatform = 'express' | 'fastify';

/** What grows along a curve. */
export type Dimension = 'routes' | 'messages' | 'sessions';

/** Routes in the app, for the 405 and 404 of a miss. */
export const ROUTE_COUNTS = [10, 100, 1000];
/** Messages delivered in one answer. */
export const MESSAGE_COUNTS = [1, 10, 100];
/** Signed-in sessions the load is spread over. */
export const SESSION_COUNTS = [10, 1000];

/** An app of the section, in a process of its own as each variant is (`server.js <name>`). */
export interface ScalingApp {
  name: string;
  platform: ScalingPlatform;
  dimension: Dimension;
  /** Routes the app has (the routes apps only). */
  routes: number;
  /** Visitors signed in before any load, each in a session of their own. */
  visitors: number;
}

/** One point of a curve: one request, asked of one app again and again. */
export interface Probe {
  app: ScalingApp;
  dimension: Dimension;
  /** The curve: `hit`, `405` or `404` for routes, `messages`, `sessions`. */
  series: string;
  /** The work behind the request: routes in the app, messages in the answer, or sessions the load goes to. */
  size: number;
  method: Method;
  path: string;
  /** How many of the app's visitors the requests go to, in turn; 0 for an anonymous visitor. */
  sessions: number;
  expected: Expected;
}

/** The prefix of a Fastify app's name, as for the variants. */
const prefixOf = (platform: ScalingPlatform): string => (platform === 'fastify' ? 'fastify-' : '');

/** The path of the `index`th route of a routes app; the last one registered is the one probed. */
export const routePath = (index: number): string => `/r${index}/item`;

/** The path of the route that adds `count` messages. */
export const messagesPath = (count: number): string => `/messages/${count}`;

/** An unknown path: every route of the app is looked at, and none serves it. */
const UNKNOWN_PATH = '/nowhere';

/** The apps of one platform: one per route count, one for messages, one for sessions. */
function appsOn(platform: ScalingPlatform): ScalingApp[] {
  const prefix = prefixOf(platform);
  return [
    ...ROUTE_COUNTS.map((routes) => ({ name: `${prefix}scaling-routes-${routes}`, platform, dimension: 'routes' as const, routes, visitors: 0 })),
    { name: `${prefix}scaling-messages`, platform, dimension: 'messages', routes: MESSAGE_COUNTS.length, visitors: 1 },
    { name: `${prefix}scaling-sessions`, platform, dimension: 'sessions', routes: 1, visitors: Math.max(...SESSION_COUNTS) },
  ];
}

/** Every app of the section: Express's, then Fastify's. */
export const SCALING_APPS: ScalingApp[] = [...appsOn('express'), ...appsOn('fastify')];

/**
 * What each app is asked. Routes: a GET of the last route registered (the
 * platform's own routing, for reference), the same path with a method it
 * does not serve (the module's 405, with `Allow`), and an unknown path (the
 * module's 404); the apps are `global: true`, so the module's filter answers
 * both. Messages: an `@Ajax()` route adding 1, 10 or 100. Sessions: an
 * `@Ajax({ loginRequired: true })` route adding one message, its load
 * spread over 10 or 1,000 signed-in visitors.
 */
export function probesOf(app: ScalingApp): Probe[] {
  const probe = (series: string, size: number, method: Method, path: string, sessions: number, expected: Expected): Probe => ({
    app,
    dimension: app.dimension,
    series,
    size,
    method,
    path,
    sessions,
    expected,
  });
  if (app.dimension === 'routes') {
    const last = routePath(app.routes - 1);
    return [
      probe('hit', app.routes, 'GET', last, 0, { status: 200, body: BODY }),
      probe('405', app.routes, 'DELETE', last, 0, { status: 405, body: { status: 'error', error: 'Method not allowed' }, headers: { allow: 'GET, HEAD' } }),
      probe('404', app.routes, 'GET', UNKNOWN_PATH, 0, { status: 404, body: { status: 'error', error: 'Not found', message: `Cannot GET ${UNKNOWN_PATH}` } }),
    ];
  }
  if (app.dimension === 'messages') return MESSAGE_COUNTS.map((count) => probe('messages', count, 'GET', messagesPath(count), 1, { status: 200, body: withMessages(count) }));
  return SESSION_COUNTS.map((sessions) => probe('sessions', sessions, 'GET', '/json', sessions, { status: 200, body: withMessages(1) }));
}
