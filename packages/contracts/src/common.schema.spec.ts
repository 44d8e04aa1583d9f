import { afterEach, describe, expect, it } from 'vitest';
import { signupInput } from './auth.contract.js';
import { z } from 'zod';
import { currencyCode, label, NUL_MESSAGE, pageQuery, password, text, timeZone } from './common.schema.js';

describe('currencyCode and timeZone', () => {
  it('check against the engine’s lists', () => {
    expect(currencyCode.safeParse('EUR').success).toBe(true);
    expect(currencyCode.safeParse('ZZZ').success).toBe(false);
    expect(currencyCode.safeParse('eur').success).toBe(false);
    expect(timeZone.safeParse('Europe/Paris').success).toBe(true);
    expect(timeZone.safeParse('UTC').success).toBe(true);
    expect(timeZone.safeParse('Mars/Olympus').success).toBe(false);
  });

  // Hermes (React Native) has no Intl.supportedValuesOf: the same schemas must still run there.
  describe('without Intl.supportedValuesOf', () => {
    const original = Intl.supportedValuesOf;
    const withoutIt = () => {
      delete (Intl as { supportedValuesOf?: unknown }).supportedValuesOf;
      expect(typeof Intl.supportedValuesOf).toBe('undefined');
    };
    afterEach(() => {
      Intl.supportedValuesOf = original;
    });

    it('accept any well-formed currency code and still refuse a malformed one', () => {
      withoutIt();
      expect(currencyCode.safeParse('EUR').success).toBe(true);
      expect(currencyCode.safeParse('ZZZ').success).toBe(true);
      expect(currencyCode.safeParse('eur').success).toBe(false);
    });

    it('check time zones with Intl.DateTimeFormat', () => {
      withoutIt();
      expect(timeZone.safeParse('Europe/Paris').success).toBe(true);
      expect(timeZone.safeParse('UTC').success).toBe(true);
      expect(timeZone.safeParse('Mars/Olympus').success).toBe(false);
    });

    it('parse a signup that uses both', () => {
      withoutIt();
      const parsed = signupInput.parse({
        tenant: { name: 'Shop', currency: 'EUR' },
        owner: { name: 'Ann', email: 'Ann@Example.com', password: 'long enough password' },
        store: { name: 'Main', code: 'MAIN', timeZone: 'Europe/Paris' },
        register: { name: 'Till 1' },
      });
      expect(parsed.owner.email).toBe('ann@example.com');
      expect(parsed.store.timeZone).toBe('Europe/Paris');
    });
  });
});

describe('text', () => {
  it('refuses U+0000 wherever a contract takes a string, and says so in the JSON schema', () => {
    for (const schema of [text(), label(), password, pageQuery.shape.cursor]) {
      const result = schema.safeParse('abc\u0000defghijkl');
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.message).toBe(NUL_MESSAGE);
    }
    expect(label().parse('  fine  ')).toBe('fine');
    expect(z.toJSONSchema(text())).toMatchObject({ type: 'string', pattern: '^[^\\u0000]*$' });
  });
});
