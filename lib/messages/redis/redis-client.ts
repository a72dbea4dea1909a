import { AjaxConfigurationError, describeValue } from '../../ajax.errors.js';

/**
 * The parts of a node-redis client the storage uses: `createClient()` or
 * `createCluster()` of `redis` 5 or 6.
 */
export interface NodeRedisClientLike {
  readonly isReady: boolean;
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
      evaluate: (script, keys, args) => nodeRedis.eval(script, { keys: [...keys], arguments: [...args] }),
    };
  }
  if (typeof candidate?.eval === 'function' && typeof candidate.status === 'string') {
    const ioRedis = client as IoRedisClientLike;
    return {
      // 'ready' on a client and on a cluster alike; any other status would queue or refuse the command.
      ready: () => ioRedis.status === 'ready',
      evaluate: (script, keys, args) => ioRedis.eval(script, keys.length, ...keys, ...args),
    };
  }
  throw new AjaxConfigurationError(
    'RedisMessageStorage needs a Redis client: node-redis (createClient() or createCluster() from \'redis\') ' +
      `or ioredis / iovalkey (new Redis() or new Cluster()); got ${describeValue(client)}.`,
  );
}
