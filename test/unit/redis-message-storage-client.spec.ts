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
