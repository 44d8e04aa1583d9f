import { ApiError, catalogEndpoints, opsEndpoints, tenancyEndpoints } from '@zakpos/contracts';
import { describe, expect, it } from 'vitest';
import { useApiHarness } from './api-harness.js';
import { checkedInject, checkResponse } from './contract-check.js';
import { createTenant } from './fixtures.js';

describe('the contract check of the test harness', () => {
  const api = useApiHarness();

  it('refuses a route no contract endpoint declares', async () => {
    await expect(checkedInject(api.app, { method: 'GET', url: '/docs' })).rejects.toThrow(
      'GET /docs: no contract endpoint serves this route',
    );
  });

  it('refuses a success body the endpoint’s response schema does not describe, or another status', async () => {
    const live = await api.app.inject({ method: 'GET', url: '/health/live' });
    expect(live.statusCode).toBe(200);
    expect(() => checkResponse('GET', '/health/live', live)).not.toThrow();
    // The same answer, read as if it came from GET /tenant: not a tenant's settings.
    expect(() => checkResponse('GET', '/tenant', live)).toThrow(/GET \/tenant .*answered 200 with a body/s);
    // A 200 where the contract says 201.
    expect(() => checkResponse('POST', '/categories', live)).toThrow(/the contract says 201/);
  });

  it('refuses a success body with fields the response schema does not declare', async () => {
    const ready = await api.app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(() => checkResponse('GET', '/health/ready', ready)).not.toThrow();
    // Readiness answers { status: 'ok', checks }; liveness declares only { status: 'ok' }.
    expect(() => checkResponse('GET', '/health/live', ready)).toThrow(
      /fields the response schema does not declare: checks$/,
    );
  });

  it('refuses an error status the endpoint’s operation does not document', async () => {
    const t = await createTenant(api.app);
    const refused = await api.app.inject({
      method: 'POST',
      url: '/categories',
      headers: { authorization: `Bearer ${t.cashier.token}` },
      payload: { name: 'X' },
    });
    expect(refused.statusCode).toBe(403);
    expect(() => checkResponse('POST', '/categories', refused)).not.toThrow();
    // The same 403, read as if a public route had answered it: those document no 403.
    expect(() => checkResponse('POST', '/auth/signup', refused)).toThrow(
      /POST \/auth\/signup .*answered 403; its operation documents only 400, 404/s,
    );
  });

  it('gives a typed client that parses responses and turns errors into ApiError', async () => {
    const t = await createTenant(api.app);
    const client = api.client(t.cashier);
    const tenant = await client(tenancyEndpoints.getTenant);
    expect(tenant.id).toBe(t.tenantId);
    expect(await client(opsEndpoints.live)).toEqual({ status: 'ok' });
    const refused = await client(catalogEndpoints.createCategory, { body: { name: 'X' } }).catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    const anonymous = await api
      .client()(tenancyEndpoints.getTenant)
      .catch((e: unknown) => e);
    expect(anonymous).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
  });
});
