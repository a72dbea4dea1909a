import { AjaxConfigurationError, type RedisClientLike, RedisMessageStorage } from '../../lib/index.js';

/** What a JavaScript caller, or one whose client is typed `any`, may pass by mistake. */
const NOT_CLIENTS: ReadonlyArray<[string, unknown, string]> = [
  ['a plain object', {}, 'an object (Object)'],
  ["node-redis's options instead of the client made from them", { url: 'redis://127.0.0.1:6379', disableOfflineQueue: true }, 'an object (Object)'],
  ['null', null, 'null'],
  ['a URL', 'redis://127.0.0.1:6379', '"redis://127.0.0.1:6379"'],
  ['an object with eval() but neither isReady nor status', { eval: () => Promise.resolve(null) }, 'an object (Object)'],
];

describe('RedisMessageStorage given something that is not a Redis client', () => {
  it.each(NOT_CLIENTS)('refuses %s at construction, naming both client libraries', (_, value, shown) => {
    const construct = () => new RedisMessageStorage(value as RedisClientLike);
    expect(construct).toThrow(AjaxConfigurationError);
    expect(construct).toThrow(
      "RedisMessageStorage needs a Redis client: node-redis (createClient() or createCluster() from 'redis') " +
        `or ioredis / iovalkey (new Redis() or new Cluster()); got ${shown}.`,
    );
  });

  it('takes a client of either library by what it reports of its connection, before any command', () => {
    expect(() => new RedisMessageStorage({ isReady: false, eval: () => Promise.resolve(null) })).not.toThrow();
    expect(() => new RedisMessageStorage({ status: 'wait', eval: () => Promise.resolve(null) })).not.toThrow();
  });
});

describe('RedisMessageStorage options', () => {
  const client = { isReady: true, eval: () => Promise.resolve(null) };

  it.each([['{tenant}:'], ['a}b'], [42]])('refuses a keyPrefix of %p: the session id must be the keys\' only hash tag', (keyPrefix) => {
    expect(() => new RedisMessageStorage(client, { keyPrefix: keyPrefix as string })).toThrow(
      `RedisMessageStorage option "keyPrefix" must be a string without { or }: the session id is the keys' hash tag; got ${JSON.stringify(keyPrefix)}.`,
    );
  });

  it.each([['ttlSeconds', 0], ['timeoutMs', 1.5], ['reclaimAfterMs', -1]])('refuses %s: %p', (name, value) => {
    expect(() => new RedisMessageStorage(client, { [name]: value })).toThrow(`RedisMessageStorage option "${name}" must be a whole number > 0`);
  });
});
