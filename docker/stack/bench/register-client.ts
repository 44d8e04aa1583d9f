// A register's connection to the stack: the harness's typed client over one kept-alive HTTPS connection to nginx
// on a port asked of Compose once, as a till keeps its connection open (a new TLS connection and a `docker
// compose port` per request is fine for a test, a bottleneck under load).
import https from 'node:https';
import type { Stack } from '../stack-harness.js';

export interface RegisterClient {
  api: ReturnType<Stack['client']>;
  close(): void;
}

export function registerClient(stack: Stack, port: number, token: string): RegisterClient {
  const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
  return { api: stack.client(() => token, { port, agent }), close: () => agent.destroy() };
}
