// A register's connection to the stack: the typed API client over one kept-alive HTTPS connection to nginx,
// as a till keeps its connection open. (The harness's client() opens a new TLS connection and asks Compose
// for the published port on every request: fine for a test, a bottleneck under load.)
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';
import { createClient, type Fetch } from '@zakpos/contracts';
import type { Stack } from '../stack-harness.js';

export interface RegisterClient {
  api: ReturnType<typeof createClient>;
  close(): void;
}

export function registerClient(stack: Stack, port: number, token: string): RegisterClient {
  const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
  const ca = readFileSync(join(stack.certsDir, 'fullchain.pem'), 'utf8');
  const fetch: Fetch = (url, init) =>
    new Promise((resolve, reject) => {
      const u = new URL(url);
      const req = https.request(
        {
          host: stack.address,
          port,
          path: `${u.pathname}${u.search}`,
          method: init.method,
          headers: init.headers,
          ca,
          servername: 'localhost',
          agent,
          timeout: 30_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const body = Buffer.concat(chunks);
            resolve({
              status: res.statusCode!,
              headers: { get: (name) => [res.headers[name.toLowerCase()]].flat()[0] ?? null },
              text: async () => body.toString('utf8'),
              arrayBuffer: async () => new Uint8Array(body).buffer,
            });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${u.pathname}: no answer within 30 s`)));
      req.on('error', reject);
      req.end(init.body);
    });
  return {
    api: createClient({ baseUrl: 'https://localhost', fetch, token: () => token }),
    close: () => agent.destroy(),
  };
}
