import { expressPlatform } from '../../lib/platform/express/express-platform.js';
import { fastifyPlatform } from '../../lib/platform/fastify/fastify-platform.js';
import { PLATFORM } from '../../lib/platform/platform-key.js';
import { platformOf } from '../../lib/platform/platform-of.js';

/** An app's request prototype as the platform marks it (Express: `app.request`; Fastify: its decorated prototype). */
function appPrototype(platform: object, asGetter = false): object {
  const prototype = {};
  Object.defineProperty(prototype, PLATFORM, asGetter ? { get: () => platform } : { value: platform });
  return prototype;
}

/** `object`, with every property read on it recorded. */
function watched(object: object): { proxy: object; reads: PropertyKey[] } {
  const reads: PropertyKey[] = [];
  return { proxy: new Proxy(object, { get: (target, key, receiver) => (reads.push(key), Reflect.get(target, key, receiver)) }), reads };
}

describe('platformOf', () => {
  // Express gives each request a hidden class of its own, so a read on the request itself would miss V8's caches.
  it("finds the app's platform on the prototype, reading nothing on the object itself", () => {
    for (const [platform, asGetter] of [[expressPlatform, false], [fastifyPlatform, true]] as const) {
      const { proxy, reads } = watched(Object.create(appPrototype(platform, asGetter)));
      expect(platformOf(proxy)).toBe(platform);
      expect(reads).toEqual([]);
    }
  });

  it('finds it further up: a request wrapped with Object.create(), a Fastify route in a nested plugin', () => {
    const request = Object.create(appPrototype(expressPlatform));
    expect(platformOf(Object.create(request))).toBe(expressPlatform);
    expect(platformOf(Object.create(Object.create(appPrototype(fastifyPlatform, true))))).toBe(fastifyPlatform);
  });

  it('tells objects the app did not make by their shape', () => {
    expect(platformOf({ raw: {} })).toBe(fastifyPlatform);
    expect(platformOf({ writeHead: () => undefined })).toBe(fastifyPlatform);
    expect(platformOf({ writeHead: () => undefined, json: () => undefined })).toBe(expressPlatform);
    expect(platformOf(Object.create(null) as object)).toBe(expressPlatform);
  });
});
