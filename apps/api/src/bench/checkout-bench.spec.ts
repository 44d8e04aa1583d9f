import { describe, expect, it } from 'vitest';
import { checkoutScript } from './checkout-bench.js';
import { FIRST_EVENT_SEQ, FIRST_RECEIPT } from './checkout-seed.js';
import { PgbenchVariables } from './pgbench.js';
import type { ReplayRequest } from './replay.js';

const TENANT = '0b0c6a1e-2f1d-4c8e-9d5b-111111111111';
const REGISTER = '0b0c6a1e-2f1d-4c8e-9d5b-222222222222';
const SESSION = '0b0c6a1e-2f1d-4c8e-9d5b-333333333333';
const PRODUCT = '0b0c6a1e-2f1d-4c8e-9d5b-444444444444';
const SALE = '7f1c0a9e-5d2b-4e3a-8c1d-555555555555';
const MOVEMENT = '7f1c0a9e-5d2b-4e3a-8c1d-666666666666';
const receipt = String(FIRST_RECEIPT + 17);
const last = FIRST_EVENT_SEQ + 42;

const request: ReplayRequest = {
  path: 'POST /sales',
  statements: [
    {
      protocol: 'simple',
      sql: "begin; select set_config('app.tenant_id', 'x', true)",
      params: [],
      statementName: '',
    },
    {
      protocol: 'extended',
      sql: 'select 1 from sales where tenant_id = $1 and id = $2',
      params: [TENANT, SALE],
      statementName: '',
    },
    {
      protocol: 'extended',
      sql: 'insert into register_counters (tenant_id, register_id) values ($1, $2) on conflict do update set n = n + 1 returning n',
      params: [TENANT, REGISTER],
      statementName: '',
    },
    {
      protocol: 'extended',
      sql: 'insert into stock_movements (tenant_id, id, product_id, note) values ($1, $2, $3, $4)',
      params: [TENANT, MOVEMENT, PRODUCT, null],
      statementName: '',
    },
    {
      protocol: 'extended',
      sql: 'insert into sales (tenant_id, id, register_id, cash_session_id, receipt_number, memo) values ($1, $2, $3, $4, $5, $6)',
      params: [TENANT, SALE, REGISTER, SESSION, receipt, ''],
      statementName: '',
    },
    {
      protocol: 'extended',
      sql: 'insert into tenant_counters (tenant_id) values ($1) on conflict do update set x = 1 returning last_event_seq as last',
      params: [TENANT],
      statementName: '',
    },
    {
      protocol: 'extended',
      sql: 'insert into outbox (tenant_id, seq, id) values ($1, $2, $3), ($1, $4, $5)',
      params: [TENANT, String(last - 1), SALE, String(last), MOVEMENT],
      statementName: '',
    },
    { protocol: 'simple', sql: 'commit', params: [], statementName: '' },
  ],
};

describe('checkoutScript', () => {
  const vars = new PgbenchVariables();
  const script = checkoutScript(
    request,
    new Set([TENANT, PRODUCT, REGISTER, SESSION]),
    { registerId: REGISTER, sessionId: SESSION },
    vars,
  );
  const lines = script.split('\n');

  it('mints fresh ids where the checkout minted them, one variable per id, drawn by pgbench', () => {
    expect(lines.filter((l) => l.startsWith('\\set m'))).toEqual([
      '\\set m1 random(1, 9000000000000000000)',
      '\\set m2 random(1, 9000000000000000000)',
    ]);
    expect(script).toContain('select 1 from sales where tenant_id = :v1 and id = md5(:m1::text)::uuid;');
    expect(script).toContain(
      'values (:v1, :last_1, md5(:m1::text)::uuid), (:v1, :last, md5(:m2::text)::uuid);',
    );
  });

  it("uses the client's own register and session, and the numbers the counters return", () => {
    expect(script).toContain('on conflict do update set n = n + 1 returning n \\gset');
    expect(script).toMatch(
      /register_id, cash_session_id, receipt_number, memo\) values \(:v1, md5\(:m1::text\)::uuid, overlay\(overlay\(md5\('bench-register-' \|\| :client_id\).*'bench-session-' \|\| :client_id.*, :n, ''\);/,
    );
    expect(script).toContain('returning last_event_seq as last \\gset');
    expect(script).toContain('\\set last_1 :last - 1');
    expect(script.indexOf('\\set last_1')).toBeGreaterThan(
      script.indexOf('returning last_event_seq as last'),
    );
  });

  it('writes NULL parameters as NULL and keeps every other value as a -D variable', () => {
    expect(script).toContain('values (:v1, md5(:m2::text)::uuid, :v2, NULL);');
    expect(vars.defines()).toEqual(['-D', `v1=${TENANT}`, '-D', `v2=${PRODUCT}`]);
    expect(lines).toContain('commit;');
  });
});
