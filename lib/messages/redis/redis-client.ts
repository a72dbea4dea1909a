import { AjaxConfigurationError, describeValue } from '../../ajax.errors.js';

/**
 * The parts of a node-redis client the storage uses: `createClient()` or
 * `createCluster()` of `redis` 5 or 6.
 */
export interface NodeRedisClientLike {
  readonly isReady: boolean;
  /** Whether `connect()` was called (and not `destroy()` since); node-redis's clients and clusters have it. */
  readonly isOpen?: boolean;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

/**
 * The parts of an ioredis client the storage uses: `new Redis()` or
 * `new Cluster()` of `ioredis` 5 or 6, and of its fork `iovalkey`.
 */
export interface IoRedisClientLike {
  readonly status: string;
  eval(script: string, numberOfKeys: number, ...keysAndArguments: string[]): Promise<unknown>;
}

/** A client `RedisMessageStorage` accepts: node-redis or ioredis (iovalkey), a single node or a cluster. */
export type RedisClientLike = NodeRedisClientLike | IoRedisClientLike;

/**
 * What the storage asks of a client, whichever library it comes from: every
 * step is one script, so that it stays atomic on one node of a cluster (the
 * keys of a script share a hash slot).
 * @internal
 */
export interface RedisScriptRunner {
  /** Whether a command sent now would go out at once, rather than wait in a queue for a connection. */
  ready(): boolean;
  /** Why a command cannot go out now, for the 503's log: with the fix, where the app never had the client connect. */
  notReadyReason(): string;
  evaluate(script: string, keys: readonly string[], args: readonly string[]): Promise<unknown>;
}

/**
 * The runner for a node-redis or ioredis client; any other value is an
 * `AjaxConfigurationError`. The two are told apart by how they report their
 * connection: node-redis by `isReady`, ioredis (and iovalkey) by `status`.
 * @internal
 */
export function scriptRunnerFor(client: unknown): RedisScriptRunner {
  const candidate = client as Partial<NodeRedisClientLike & IoRedisClientLike> | null | undefined;
  if (typeof candidate?.eval === 'function' && typeof candidate.isReady === 'boolean') {
    const nodeRedis = client as NodeRedisClientLike;
    return {
      ready: () => nodeRedis.isReady,
      notReadyReason: () =>
        nodeRedis.isOpen === false
          ? 'the Redis client was never connected, or was closed: call await client.connect() before the app takes requests'
          : 'the Redis client is not connected',
      evaluate: (script, keys, args) => nodeRedis.eval(script, { keys: [...keys], arguments: [...args] }),
    };
  }
  if (typeof candidate?.eval === 'function' && typeof candidate.status === 'string') {
    const ioRedis = client as IoRedisClientLike;
    return {
      // 'ready' on a client and on a cluster alike; any other status would queue or refuse the command.
      ready: () => ioRedis.status === 'ready',
      notReadyReason: () =>
        ioRedis.status === 'wait'
          ? "the Redis client has not connected: with lazyConnect it connects on its first command, and the storage sends none to a client that is not ready; call await client.connect() at start-up, or leave lazyConnect off"
          : `the Redis client is not connected (its status is "${ioRedis.status}")`,
      evaluate: (script, keys, args) => ioRedis.eval(script, keys.length, ...keys, ...args),
    };
  }
  throw new AjaxConfigurationError(
    'RedisMessageStorage needs a Redis client: node-redis (createClient() or createCluster() from \'redis\') ' +
      `or ioredis / iovalkey (new Redis() or new Cluster()); got ${describeValue(client)}.`,
  );
}
