import { describe, expect, it } from 'vitest';
import { checkoutScript } from './checkout-bench.js';
import { PgbenchVariables } from './pgbench.js';
import type { ReplayRequest } from './replay.js';

const TENANT = '0b0c6a1e-2f1d-4c8e-9d5b-111111111111';
const REGISTER = '0b0c6a1e-2f1d-4c8e-9d5b-222222222222';
const SESSION = '0b0c6a1e-2f1d-4c8e-9d5b-333333333333';
const PRODUCT = '0b0c6a1e-2f1d-4c8e-9d5b-444444444444';
const SALE = '7f1c0a9e-5d2b-4e3a-8c1d-555555555555';
const MOVEMENT = '7f1c0a9e-5d2b-4e3a-8c1d-666666666666';
const EVENT = '7f1c0a9e-5d2b-4e3a-8c1d-777777777777';
const saleJson = JSON.stringify({
  tenant_id: TENANT,
  id: SALE,
  register_id: REGISTER,
  cash_session_id: SESSION,
});
const eventsJson = JSON.stringify([{ id: EVENT, aggregate_id: SALE }]);

const statement = (sql: string, params: (string | null)[]) => ({
  protocol: 'extended' as const,
  sql,
  params,
  statementName: '',
});

const request: ReplayRequest = {
  path: 'POST /sales',
  statements: [
    {
      protocol: 'simple',
      sql: "begin; select set_config('app.tenant_id', 'x', true)",
      params: [],
      statementName: '',
    },
    statement('select 1 from sales where tenant_id = $1 and id = $2', [TENANT, SALE]),
    statement(
      'with n as (insert into register_counters values ($1, $2)) insert into sales select * from jsonb_populate_record(null::sales, $3::jsonb)',
      [TENANT, REGISTER, saleJson],
    ),
    statement('insert into stock_movements (tenant_id, id, product_id, note) values ($1, $2, $3, $4)', [
      TENANT,
      MOVEMENT,
      PRODUCT,
      null,
    ]),
    statement('insert into outbox select * from jsonb_to_recordset($1::jsonb)', [eventsJson]),
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
  const register =
    "overlay(overlay(md5('bench-register-' || :client_id) placing '4' from 13) placing '8' from 17)::uuid";
  const session =
    "overlay(overlay(md5('bench-session-' || :client_id) placing '4' from 13) placing '8' from 17)::uuid";
  // A minted id: md5 of the drawn number, with a version 4 UUID's version and variant digits.
  const minted = (m: string) =>
    `overlay(overlay(md5(:${m}::text) placing '4' from 13) placing '8' from 17)::uuid`;

  it('mints a fresh id for each id the checkout minted, drawn by pgbench, the same wherever it appears', () => {
    expect(lines.filter((l) => l.startsWith('\\set '))).toEqual([
      '\\set m1 random(1, 9000000000000000000)',
      '\\set m2 random(1, 9000000000000000000)',
      '\\set m3 random(1, 9000000000000000000)',
    ]);
    expect(script).toContain(`select 1 from sales where tenant_id = :v1 and id = ${minted('m1')};`);
    expect(script).toContain(`values (:v1, ${minted('m2')}, :v3, NULL);`);
    // Inside a JSON row: replaced in its text, before the statement casts it.
    expect(script).toContain(
      `jsonb_to_recordset(replace(replace(:v4, '${EVENT}', (${minted('m3')})::text), '${SALE}', (${minted('m1')})::text)::jsonb);`,
    );
  });

  it("sells on the client's own register and session, in parameters and inside rows", () => {
    expect(script).toContain(`insert into register_counters values (:v1, ${register})`);
    expect(script).toContain(`replace(:v2, '${SALE}', (${minted('m1')})::text)`);
    expect(script).toContain(`'${REGISTER}', (${register})::text)`);
    expect(script).toContain(`'${SESSION}', (${session})::text)`);
  });

  it('keeps every other value as a -D variable, and the simple statements as they were', () => {
    expect(vars.defines()).toEqual([
      '-D',
      `v1=${TENANT}`,
      '-D',
      `v2=${saleJson}`,
      '-D',
      `v3=${PRODUCT}`,
      '-D',
      `v4=${eventsJson}`,
    ]);
    expect(lines).toContain('\\startpipeline');
    expect(lines).toContain('commit;');
  });
});
