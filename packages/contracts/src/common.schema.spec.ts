import { afterEach, describe, expect, it } from 'vitest';
import { signupInput } from './auth.contract.js';
import { z } from 'zod';
import {
  currencyCode,
  dateTime,
  label,
  NUL_MESSAGE,
  pageQuery,
  password,
  text,
  timeZone,
} from './common.schema.js';

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

describe('dateTime', () => {
  it.each([
    ['2025-03-08T12:47:28.755123-15:59', '2025-03-09T04:46:28.755123Z'],
    ['2025-03-08T12:47:28+15:00', '2025-03-07T21:47:28Z'],
    ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00Z'],
    ['0001-01-01T10:00:00+09:30', '0001-01-01T00:30:00Z'],
    ['9999-12-31T23:59:59.999999Z', '9999-12-31T23:59:59.999999Z'],
  ])('takes %s as %s', (given, utc) => {
    expect(dateTime.parse(given)).toBe(utc);
  });

  it.each([
    ['0000-01-01T00:00:00Z', 'must be between'],
    ['0001-01-01T00:00:00+00:01', 'must be between'],
    ['9999-12-31T23:59:59-00:01', 'must be between'],
    ['2025-03-08T12:47:28.755-16:31', 'within ±15:59'],
    ['2025-03-08T12:47:28+16:00', 'within ±15:59'],
    ['2025-02-30T00:00:00Z', 'Invalid'],
    ['2025-03-08T12:47Z', 'Invalid'],
  ])('refuses %s', (given, message) => {
    const result = dateTime.safeParse(given);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain(message);
  });
});
