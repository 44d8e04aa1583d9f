import { Redis, type RedisOptions } from 'ioredis';

/**
 * A client of REDIS_URL that never takes the process down: commands fail fast while Redis is away (no
 * offline queue, so a sale never waits on it) and the client reconnects by itself when it returns.
 */
export function redisClient(
  url: string,
  name: string,
  onError: (err: Error) => void,
  overrides: RedisOptions = {},
): Redis {
  const client = new Redis(url, {
    connectionName: name,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    lazyConnect: false,
    ...overrides,
  });
  client.on('error', onError);
  return client;
}
