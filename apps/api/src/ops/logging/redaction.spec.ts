import { type Logger, pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { REDACTED, redactEntry, redactFormatArg, redactObject, SECRET_FIELDS } from './redaction.js';

/**
 * The redaction the logger had before redaction.ts: pino's own `redact` option with these paths. It is
 * the oracle here (over the same fields): for any line, any child's bindings and any interpolated object, the new rules must
 * write the very same JSON. (No case logs a top-level `req` or `res`: the logger's serializers turn
 * those into a fixed shape without headers, so there the `req.headers`/`res.headers` paths never match.)
 */
const REFERENCE_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'headers.authorization',
  'headers.cookie',
  'res.headers["set-cookie"]',
  ...[...SECRET_FIELDS].flatMap((f) => [f, `*.${f}`, `*.*.${f}`, `*.*.*.${f}`]),
];

function lines(make: (sink: { write: (s: string) => void }) => Logger) {
  const out: string[] = [];
  return { logger: make({ write: (s) => void out.push(s) }), out };
}
const common = { base: undefined, timestamp: false } as const;
const reference = () =>
  lines((sink) =>
    pino(
      {
        ...common,
        redact: { paths: REFERENCE_PATHS, censor: REDACTED },
        serializers: { err: pino.stdSerializers.err },
      },
      sink,
    ),
  );
const candidate = () =>
  lines((sink) =>
    pino(
      {
        ...common,
        formatters: { log: (o) => redactObject(o, new Set(['err'])) },
        serializers: { err: (e: Error) => redactEntry('err', pino.stdSerializers.err(e)) },
      },
      sink,
    ),
  );

class Thing {
  constructor(
    readonly id: number,
    readonly token: string,
  ) {}
}
const deepError = Object.assign(new Error('boom'), {
  code: 'E1',
  email: 'a@b.test',
  detail: { pin: '1234' },
});

const CASES: Record<string, unknown>[] = [
  { password: 'p', email: 'e@x.test', keep: 'k', n: 1, ok: true, nothing: null },
  { user: { email: 'e@x.test', name: 'n', roles: ['a', 'b'] } },
  { body: { owner: { email: 'e@x.test', password: 'p', profile: { pin: '1' } } } },
  // four levels down is as deep as the paths reach: the fifth is logged as it is
  { a: { b: { c: { token: 't', d: { token: 'too deep' } } } } },
  { list: [{ token: 't1' }, { nested: [{ secret: 's' }] }, 'x', 3, null] },
  { matrix: [[{ pin: '1' }], [[{ pin: 'deep' }]]] },
  { headers: { authorization: 'Bearer abc', cookie: 'sid=1', 'user-agent': 'ua', token: 't' } },
  { other: { headers: { authorization: 'Bearer abc', token: 't' } } },
  { data: { token: undefined, secret: null, pin: 0, fn: () => 1 } },
  { password: undefined, keep: 'k' },
  { when: new Date('2026-01-02T03:04:05Z'), at: { when: new Date(0), secret: 's' } },
  { thing: new Thing(1, 'tok'), things: [new Thing(2, 'tok2')] },
  { err: deepError },
  { err: 'just a string', context: 'Nest' },
  { data: { err: deepError } },
  { count: 3, ratio: 0.5, huge: Number.POSITIVE_INFINITY, msgLike: 'line\nbreak "quoted"' },
  {},
];

describe('redaction', () => {
  it.each(CASES.map((c, i) => [i, c] as const))('writes what pino’s redact wrote (case %i)', (_, obj) => {
    const before = reference();
    const after = candidate();
    before.logger.info(obj, 'message');
    after.logger.info(obj, 'message');
    expect(after.out).toEqual(before.out);
  });

  it('redacts a child logger’s bindings as pino did', () => {
    const bindings = [
      { reqId: 'r-1' },
      { tenantId: 't', userId: 'u' },
      { email: 'e@x.test', ctx: { token: 't', deeper: { pin: '1' } } },
    ];
    for (const b of bindings) {
      const before = reference();
      const after = candidate();
      before.logger.child(b).info({ secret: 's' }, 'from a child');
      after.logger.child(redactObject(b, new Set(['err']))).info({ secret: 's' }, 'from a child');
      expect(after.out).toEqual(before.out);
    }
  });

  it.each(CASES.map((c, i) => [i, c] as const))(
    'redacts an interpolated object as pino’s redact did (case %i)',
    (_, obj) => {
      const interpolated = {
        ...obj,
        req: { headers: { authorization: 'Bearer a', cookie: 'c', 'x-api-key': 'k', host: 'h' } },
        res: { headers: { 'set-cookie': 'sid=2', etag: 'e' } },
      };
      const before = reference();
      const after = candidate();
      before.logger.info('value %j and %o', interpolated, [interpolated]);
      after.logger.info(
        'value %j and %o',
        redactFormatArg(interpolated) as object,
        redactFormatArg([interpolated]) as object,
      );
      expect(after.out).toEqual(before.out);
    },
  );

  it('leaves what it is given untouched', () => {
    const obj = { body: { password: 'p', list: [{ token: 't' }] } };
    const copy = structuredClone(obj);
    const redacted = redactObject(obj, new Set());
    expect(obj).toEqual(copy);
    expect(redacted).toEqual({ body: { password: REDACTED, list: [{ token: REDACTED }] } });
  });
});
