import type { AbstractHttpAdapter } from '@nestjs/core';
import { AjaxConfigurationError } from '../ajax.errors.js';
import type { ResolvedAjaxOptions } from '../options/resolve-ajax-options.js';
import { expressPlatform } from './express/express-platform.js';
import { fastifyPlatform } from './fastify/fastify-platform.js';
import type { FollowsRequests } from './enter-request.js';
import type { HttpPlatform } from './http-platform.interface.js';
import { APP_OPTIONS, PLATFORM } from './platform-key.js';

/** The platform of an HTTP adapter whose app is set up: several AjaxModule imports each ask for it. */
const SET_UP = Symbol('nestjs-ajax:platform-set-up');

/**
 * The platform of the app that a request or response belongs to, read from
 * its prototype, where the platform put it: Express gives each request and
 * response a V8 hidden class of its own (see `RequestSlot`), so a read on
 * the object itself, here where every request passes, misses V8's caches,
 * while the app's prototypes keep theirs. Objects the app did not make (a request a guard's
 * `getRequest()` override wraps, the raw Node response Nest's Fastify
 * middleware hands over) are told by their shape: Fastify's wrap a `raw`
 * one, and a bare Node response has no `json`.
 * @internal
 */
export function platformOf(reqOrRes: object): HttpPlatform {
  const found = appValue<HttpPlatform>(reqOrRes, PLATFORM);
  if (found) return found;
  const shaped = reqOrRes as { raw?: unknown; json?: unknown; writeHead?: unknown };
  if (shaped.raw !== undefined || (typeof shaped.writeHead === 'function' && typeof shaped.json !== 'function')) return fastifyPlatform;
  return expressPlatform;
}

/**
 * The `AjaxModule` options of the app a request belongs to, read from its
 * prototype as `platformOf()` reads the platform (a wrapper made with
 * `Object.create(req)` finds them through the request it wraps); `undefined`
 * for a request of an app the module did not set up.
 * @internal
 */
export function appOptionsOf(req: object): ResolvedAjaxOptions | undefined {
  return appValue<ResolvedAjaxOptions>(req, APP_OPTIONS);
}

/**
 * What the app's set-up put under `key` on its request or response
 * prototype: read on the object's prototype first (the read that keeps V8's
 * caches), then through the object itself, for one the app did not make
 * (an `Object.create(req)` wrapper, whose chain leads to it).
 */
function appValue<T>(reqOrRes: object, key: symbol): T | undefined {
  return (Object.getPrototypeOf(reqOrRes) as Record<symbol, T | undefined> | null)?.[key] ?? (reqOrRes as Record<symbol, T | undefined>)[key];
}

/**
 * Chooses the app's platform from its HTTP adapter and sets the app up for
 * it, once, before Nest registers the routes (from `AjaxModule.configure()`),
 * entering each request as its own handling when it `follows` them.
 * On a platform the module does not support, the start-up fails here, with
 * what to do, rather than every request answering 500 after a start that
 * looked fine. An application without HTTP has nothing to set up.
 * @internal
 */
export function usePlatform(adapter: AbstractHttpAdapter | undefined, options: ResolvedAjaxOptions, follows: FollowsRequests): HttpPlatform | undefined {
  if (!adapter) return undefined;
  const marked = adapter as AbstractHttpAdapter & { [SET_UP]?: HttpPlatform };
  if (marked[SET_UP]) return marked[SET_UP];
  const name = adapter.getType();
  const platform = [expressPlatform, fastifyPlatform].find((each) => each.name === name);
  if (!platform) {
    throw new AjaxConfigurationError(
      `nestjs-ajax runs on Express (@nestjs/platform-express) and Fastify (@nestjs/platform-fastify), and this app runs on "${name}". ` +
        'Create the app with one of them (NestFactory.create(AppModule) is Express; ' +
        'NestFactory.create(AppModule, new FastifyAdapter()) is Fastify), or leave AjaxModule out of this app.',
    );
  }
  platform.install(adapter, options, follows);
  marked[SET_UP] = platform;
  return platform;
}
