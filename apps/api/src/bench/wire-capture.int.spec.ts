import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startWireCapture, type WireCapture } from './wire-capture.js';

describe('the wire capture', () => {
  let wire: WireCapture;
  let client: pg.Client;

  beforeAll(async () => {
    const db = new URL(inject('db').appUrl);
    wire = await startWireCapture({ host: db.hostname, port: Number(db.port) });
    const viaWire = new URL(db);
    viaWire.port = String(wire.port);
    client = new pg.Client({ connectionString: viaWire.toString() });
    await client.connect(); // SCRAM authentication passes through untouched
  });
  afterAll(async () => {
    await client.end();
    await wire.close();
  });

  it('records simple queries, and extended ones with their SQL and parameter values, in order', async () => {
    wire.take();
    await client.query('begin');
    const extended = await client.query<{ a: string; b: number; c: string | null }>(
      'select $1::text as a, $2::int as b, $3::text as c',
      ["it's", 42, null],
    );
    await client.query({ name: 'named-one', text: 'select $1::text || $2::text as t', values: ['x', 'y'] });
    await client.query({ name: 'named-one', text: 'select $1::text || $2::text as t', values: ['u', 'v'] });
    await client.query('commit');

    expect(extended.rows).toEqual([{ a: "it's", b: 42, c: null }]); // the replies came back unchanged
    expect(wire.take()).toEqual([
      { protocol: 'simple', sql: 'begin', params: [], statementName: '' },
      {
        protocol: 'extended',
        sql: 'select $1::text as a, $2::int as b, $3::text as c',
        params: ["it's", '42', null],
        statementName: '',
      },
      // parsed once, executed twice: the second execution still carries its SQL
      {
        protocol: 'extended',
        sql: 'select $1::text || $2::text as t',
        params: ['x', 'y'],
        statementName: 'named-one',
      },
      {
        protocol: 'extended',
        sql: 'select $1::text || $2::text as t',
        params: ['u', 'v'],
        statementName: 'named-one',
      },
      { protocol: 'simple', sql: 'commit', params: [], statementName: '' },
    ]);
    expect(wire.take()).toEqual([]);
  });

  it('reads messages split across packets and large ones', async () => {
    wire.take();
    const big = 'z'.repeat(200_000);
    const res = await client.query<{ n: number }>('select length($1::text) as n', [big]);
    expect(res.rows[0]!.n).toBe(200_000);
    const [s] = wire.take();
    expect(s?.params).toEqual([big]);
  });
});
