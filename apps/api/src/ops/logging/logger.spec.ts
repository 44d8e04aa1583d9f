import { describe, expect, it } from 'vitest';
import { createLogger, REDACTED, scrubText, scrubUrl } from './logger.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const logger = createLogger({
    level: 'info',
    stream: {
      write(chunk: string) {
        raw.push(chunk);
        lines.push(JSON.parse(chunk) as Record<string, unknown>);
      },
    },
  });
  return { logger, lines, raw };
}

describe('the logger', () => {
  it('redacts secrets and emails in logged objects, at any of the first levels', () => {
    const { logger, raw, lines } = capture();
    logger.info(
      {
        password: 'hunter2-hunter2',
        body: { owner: { email: 'owner@shop.test', password: 'p4ssw0rd-long' }, refreshToken: 'rt-abc' },
        data: { pin: '1234', accessToken: 'at-xyz', newPassword: 'n3w-p4ss' },
        headers: { authorization: 'Bearer abc.def.ghi', cookie: 'sid=s3cr3t' },
      },
      'login attempt',
    );
    const text = raw.join('');
    for (const secret of [
      'hunter2',
      'owner@shop.test',
      'p4ssw0rd',
      'rt-abc',
      '1234',
      'at-xyz',
      'n3w-p4ss',
      'abc.def',
      's3cr3t',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(lines[0]!.password).toBe(REDACTED);
    expect((lines[0]!.headers as Record<string, string>).authorization).toBe(REDACTED);
  });

  it('blanks emails and tokens out of messages and errors', () => {
    const { logger, raw } = capture();
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';
    logger.warn(`no account for jane.doe+pos@shop.example.com (token ${jwt})`);
    logger.error({ err: new Error('duplicate key: (email)=(bob@shop.test)') }, 'insert failed');
    const text = raw.join('');
    expect(text).not.toContain('jane.doe');
    expect(text).not.toContain(jwt);
    expect(text).not.toContain('bob@shop.test');
    expect(text).toContain('[email]');
  });

  it('redacts the bindings of child loggers, however far down the family', () => {
    const { logger, raw, lines } = capture();
    logger
      .child({ reqId: 'r-1', email: 'child@shop.test' })
      .child({ tenantId: 't-1', ctx: { token: 'tok-123', nested: { pin: '9876' } } })
      .info({ userId: 'u-1' }, 'from a grandchild');
    const text = raw.join('');
    for (const secret of ['child@shop.test', 'tok-123', '9876']) expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({
      reqId: 'r-1',
      email: REDACTED,
      tenantId: 't-1',
      ctx: { token: REDACTED, nested: { pin: REDACTED } },
      userId: 'u-1',
      msg: 'from a grandchild',
    });
  });

  it('keeps an error’s type, message and stack, and redacts its own secret fields', () => {
    const { logger, raw, lines } = capture();
    const err = Object.assign(new TypeError('lookup failed'), {
      code: 'E_LOOKUP',
      email: 'err@shop.test',
      detail: { pin: '2468', where: 'till 3' },
    });
    logger.error({ err }, 'request failed');
    expect(raw.join('')).not.toContain('err@shop.test');
    expect(raw.join('')).not.toContain('2468');
    expect(lines[0]!.err).toMatchObject({
      type: 'TypeError',
      message: 'lookup failed',
      code: 'E_LOOKUP',
      email: REDACTED,
      detail: { pin: REDACTED, where: 'till 3' },
    });
    expect((lines[0]!.err as { stack: string }).stack).toContain('TypeError: lookup failed');
  });

  it('redacts objects interpolated into a message', () => {
    const { logger, raw, lines } = capture();
    logger.info({ reqId: 'r-1' }, 'body %j', { password: 'in-a-message', name: 'kept' });
    logger.warn('headers %o', { req: { headers: { authorization: 'Bearer in-a-message' } } });
    expect(raw.join('')).not.toContain('in-a-message');
    expect(lines[0]!.msg).toBe('body {"password":"[redacted]","name":"kept"}');
  });

  it('scrubs secret query parameters and leaves the others', () => {
    expect(scrubUrl('/products?q=milk&limit=5')).toBe('/products?q=milk&limit=5');
    expect(scrubUrl('/reset?token=abc&email=a%40b.test&pin=1234&shipping=1')).toBe(
      '/reset?token=redacted&email=redacted&pin=redacted&shipping=1',
    );
    expect(scrubText('Authorization: Bearer abc.def')).toBe(`Authorization: Bearer ${REDACTED}`);
    // a stack frame is not an email
    const frame = 'at file:///app/node_modules/@nestjs/core/router/router-proxy.js:9:62';
    expect(scrubText(frame)).toBe(frame);
  });
});
