import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { validationError } from './validation-error.js';

describe('validationError', () => {
  it('names every offending field, nested paths joined by dots, the part itself for a root issue', () => {
    const schema = z.strictObject({
      price: z.number(),
      barcodes: z.array(z.strictObject({ code: z.string() })),
    });
    const parsed = schema.safeParse({ price: 'x', barcodes: [{ code: 1, extra: true }], other: 1 });
    const error = validationError('body', parsed.error!);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.fields).toEqual({
      price: [expect.any(String)],
      'barcodes.0.code': [expect.any(String)],
      'barcodes.0.extra': ['unknown field'],
      other: ['unknown field'],
    });
    expect(validationError('body', z.string().safeParse(1).error!).fields).toEqual({
      body: [expect.any(String)],
    });
  });

  // Found by the fuzzer: GET /payment-methods?__proto__=Echo&x=1 answered 500.
  it('names keys an object inherits (__proto__, constructor, toString) like any other', () => {
    const query = JSON.parse(
      '{"__proto__": "Echo", "constructor": "1", "toString": "2", "x": "3"}',
    ) as object;
    const error = validationError(
      'query',
      z.strictObject({ active: z.string().optional() }).safeParse(query).error!,
    );
    expect(Object.keys(error.fields!).sort()).toEqual(['__proto__', 'constructor', 'toString', 'x']);
    expect(Object.getOwnPropertyDescriptor(error.fields, '__proto__')?.value).toEqual(['unknown field']);
    expect(error.message).toBe('invalid query: __proto__, constructor, toString, x');
  });
});
