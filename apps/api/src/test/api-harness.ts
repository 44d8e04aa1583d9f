import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { ApiClient } from '@zakpos/contracts';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { checkedInject, contractClient } from './contract-check.js';
import type { TestTenant } from './fixtures.js';
import { createTestApp } from './test-app.js';

export type Who = 'owner' | 'manager' | 'cashier';
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ApiHarness {
  /** The app from `createTestApp(overrides)`; only available inside tests and hooks. */
  readonly app: NestFastifyApplication;
  /** A connected superuser client, bypassing row-level security; only inside tests and hooks. */
  readonly su: pg.Client;
  /**
   * `app.inject` as `t[who]`, with `payload` sent only when given. Throws unless the contracts describe
   * the answer (see `checkResponse`): the route is an endpoint, a success body matches its schema.
   */
  call(
    t: TestTenant,
    who: Who,
    method: Method,
    url: string,
    payload?: unknown,
  ): ReturnType<NestFastifyApplication['inject']>;
  /** The contracts' typed client as `user` (e.g. `t.cashier`), or anonymous; through `app.inject`. */
  client(user?: { token: string }): ApiClient;
  /** Rows of `table` belonging to `tenantId`, counted as the superuser. */
  rowCount(table: string, tenantId: string): Promise<number>;
}

/**
 * The shared setup of the API integration tests. Call it once inside a `describe`: it starts the
 * app and a superuser client in `beforeAll` and closes both in `afterAll`.
 * `options.headers` are added to every `call` (after the user's own).
 */
export function useApiHarness(
  overrides: Record<string, string> = {},
  options: { headers?: Record<string, string> } = {},
): ApiHarness {
  let app: NestFastifyApplication | undefined;
  let su: pg.Client | undefined;

  beforeAll(async () => {
    app = await createTestApp(overrides);
    su = new pg.Client({ connectionString: inject('db').superuserUrl });
    await su.connect();
  });
  afterAll(async () => {
    await su?.end();
    await app?.close();
  });

  const harness: ApiHarness = {
    get app() {
      if (!app) throw new Error('useApiHarness: the app is only available inside tests and hooks');
      return app;
    },
    get su() {
      if (!su)
        throw new Error('useApiHarness: the superuser client is only available inside tests and hooks');
      return su;
    },
    call: (t, who, method, url, payload) =>
      checkedInject(harness.app, {
        method,
        url,
        headers: { ...t[who].headers, ...options.headers },
        ...(payload === undefined ? {} : { payload: payload as object }),
      }),
    client: (user) => contractClient(harness.app, user, options.headers),
    rowCount: async (table, tenantId) => {
      if (!/^[a-z_]+$/.test(table)) throw new Error(`rowCount: not a table name: ${table}`);
      const res = await harness.su.query(`select count(*)::int as n from ${table} where tenant_id = $1`, [
        tenantId,
      ]);
      return res.rows[0].n as number;
    },
  };
  return harness;
}
