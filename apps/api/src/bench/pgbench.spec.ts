import { describe, expect, it } from 'vitest';
import { pgbenchScripts, type PgbenchVariable, splitStatements } from './pgbench.js';
import { asOneRoundTrip, type ReplayRequest } from './replay.js';

const TENANT = '0d2c4f4e-5a7b-4c55-9b59-3c3a1f0e9d11';

function lookup(code: string, userId = 'u-1'): ReplayRequest {
  return {
    path: `/barcodes/${code}`,
    statements: [
      { protocol: 'simple', sql: 'begin', params: [], statementName: '' },
      {
        protocol: 'extended',
        sql: "select set_config('app.tenant_id', $1, true), set_config('app.user_id', $2, true)",
        params: [TENANT, userId],
        statementName: '',
      },
      {
        protocol: 'extended',
        sql: 'select p.* from products p\n where p.tenant_id = $1 and p.id::uuid = (select product_id from b where code in ($2))',
        params: [TENANT, code],
        statementName: '',
      },
      { protocol: 'simple', sql: 'commit', params: [], statementName: '' },
    ],
  };
}

const code: PgbenchVariable = {
  name: 'code',
  set: ['\\set code 4000000000017'],
  valueIn: (r) => r.path.slice('/barcodes/'.length),
};

describe('pgbench scripts', () => {
  it('one script drawing the varying value when the requests differ only by it', () => {
    const { scripts, defines } = pgbenchScripts([lookup('4000000000017'), lookup('4000000000024')], code);
    expect(scripts).toHaveLength(1);
    expect(scripts[0]).toBe(
      [
        '-- 2 requests captured, code drawn by pgbench',
        '\\set code 4000000000017',
        'begin;',
        "select set_config('app.tenant_id', :v1, true), set_config('app.user_id', :v2, true);",
        // casts (::uuid) are left alone; every $n is a variable, so still a parameter of the protocol
        'select p.* from products p\n where p.tenant_id = :v1 and p.id::uuid = (select product_id from b where code in (:code));',
        'commit;',
        '',
      ].join('\n'),
    );
    expect(defines).toEqual(['-D', `v1=${TENANT}`, '-D', 'v2=u-1']);
  });

  it('one script per request, of their own values, when they differ otherwise', () => {
    const { scripts, defines } = pgbenchScripts(
      [lookup('4000000000017', 'u-1'), lookup('4000000000024', 'u-2')],
      code,
    );
    expect(scripts).toHaveLength(2);
    expect(scripts[1]).toContain('-- GET /barcodes/4000000000024');
    expect(scripts[1]).toContain("set_config('app.user_id', :v4, true)");
    expect(scripts[1]).toContain('code in (:v5)');
    expect(defines).toEqual([
      ...['-D', `v1=${TENANT}`, '-D', 'v2=u-1', '-D', 'v3=4000000000017'],
      ...['-D', 'v4=u-2', '-D', 'v5=4000000000024'],
    ]);
  });

  it('writes an empty value as a literal (pgbench refuses an empty -D) and refuses NULL', () => {
    const { scripts, defines } = pgbenchScripts([lookup('4000000000017', '')]);
    expect(scripts[0]).toContain("set_config('app.user_id', '', true)");
    expect(defines).toEqual(['-D', `v1=${TENANT}`, '-D', 'v2=4000000000017']);
    const withNull = lookup('4000000000017');
    withNull.statements[1]!.params[1] = null;
    expect(() => pgbenchScripts([withNull])).toThrow(/NULL/);
  });

  it('sends a simple Query of several statements as one pipeline: one round trip, as the API did', () => {
    const request: ReplayRequest = {
      path: '/barcodes/4000000000017',
      statements: [
        {
          protocol: 'simple',
          sql: `begin; select set_config('app.tenant_id', '${TENANT}', true), set_config('app.note', 'a;b', true)`,
          params: [],
          statementName: '',
        },
        {
          protocol: 'extended',
          sql: 'select $1::text',
          params: ['4000000000017'],
          statementName: 'zq1',
        },
        { protocol: 'simple', sql: 'commit', params: [], statementName: '' },
      ],
    };
    const { scripts } = pgbenchScripts([request], code);
    expect(scripts[0]!.split('\n').slice(2)).toEqual([
      '\\startpipeline',
      'begin;',
      `select set_config('app.tenant_id', '${TENANT}', true), set_config('app.note', 'a;b', true);`,
      '\\endpipeline',
      'select :code::text;',
      'commit;',
      '',
    ]);
  });

  it('splits statements at the semicolons outside literals, identifiers and comments', () => {
    expect(splitStatements(`begin; select 'it''s; here', "a;b" from t -- c;d\n; commit;`)).toEqual([
      'begin',
      `select 'it''s; here', "a;b" from t -- c;d`,
      'commit',
    ]);
    expect(splitStatements('commit')).toEqual(['commit']);
    expect(() => splitStatements('do $$ begin; end $$')).toThrow(/dollar/);
  });

  it('the one-round-trip what-if carries every statement with its values quoted', () => {
    const request = lookup("40'17");
    expect(asOneRoundTrip(request)).toBe(
      [
        'begin;',
        `select set_config('app.tenant_id', '${TENANT}', true), set_config('app.user_id', 'u-1', true);`,
        `select p.* from products p\n where p.tenant_id = '${TENANT}' and p.id::uuid = (select product_id from b where code in ('40''17'));`,
        'commit;',
      ].join('\n'),
    );
  });
});
