import type { Redis } from 'ioredis';

type FireAndForget = 'publish' | 'subscribe' | 'psubscribe' | 'unsubscribe' | 'punsubscribe';

/**
 * The Socket.IO Redis adapter sends these commands without ever looking at their promise. While Redis is
 * away ioredis rejects it, and an unhandled rejection ends the process; on this client they are reported
 * to `onError` instead, so the API keeps serving and its local sockets keep working.
 */
export function reportRejections(
  client: Redis,
  commands: readonly FireAndForget[],
  onError: (err: Error) => void,
): void {
  for (const name of commands) {
    const send = client[name].bind(client) as (...args: unknown[]) => Promise<unknown>;
    Object.defineProperty(client, name, {
      value: (...args: unknown[]) => send(...args).catch(onError),
      configurable: true,
      writable: true,
    });
  }
}
