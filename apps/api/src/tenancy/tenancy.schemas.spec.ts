import {
  createStoreInput,
  createUserInput,
  localeTag,
  updateTenantInput,
  weightedBarcodePrefixes,
} from '@zakpos/contracts';
import { describe, expect, it } from 'vitest';
import { changes } from '../common/audit/audit-diff.js';

describe('tenancy input schemas', () => {
  it('canonicalise BCP 47 locales and refuse malformed ones', () => {
    expect(localeTag.parse('en-us')).toBe('en-US');
    expect(localeTag.parse('zh-hant-tw')).toBe('zh-Hant-TW');
    for (const bad of ['EURO', 'en_US_', 'e', 'not a locale', 'x'.repeat(36)]) {
      expect(localeTag.safeParse(bad).success).toBe(false);
    }
  });

  it('accept prefixes 20 to 29 once each', () => {
    expect(weightedBarcodePrefixes.safeParse([{ prefix: '20', kind: 'price' }]).success).toBe(true);
    expect(weightedBarcodePrefixes.safeParse([{ prefix: '19', kind: 'price' }]).success).toBe(false);
    const dup = weightedBarcodePrefixes.safeParse([
      { prefix: '29', kind: 'price' },
      { prefix: '29', kind: 'weight' },
    ]);
    expect(dup.success).toBe(false);
    expect(dup.error?.issues[0]?.path).toEqual([1, 'prefix']);
  });

  it('refuse an empty settings change', () => {
    expect(updateTenantInput.safeParse({}).success).toBe(false);
    expect(updateTenantInput.safeParse({ pricesIncludeTax: false }).success).toBe(true);
  });

  it('upper-case store codes and default the rest', () => {
    expect(createStoreInput.parse({ code: ' ab_1 ', name: 'x' })).toEqual({
      code: 'AB_1',
      name: 'x',
      timeZone: 'UTC',
      address: null,
      oversellPolicy: 'allow_negative',
      active: true,
    });
  });

  it('require stores for managers and cashiers only, and drop duplicate store ids', () => {
    const base = { email: 'A@B.co', name: 'n', password: 'a long password' };
    const id = '00000000-0000-4000-8000-000000000001';
    expect(createUserInput.safeParse({ ...base, role: 'cashier' }).success).toBe(false);
    expect(createUserInput.safeParse({ ...base, role: 'owner', storeIds: [id] }).success).toBe(false);
    expect(createUserInput.parse({ ...base, role: 'manager', storeIds: [id, id] })).toMatchObject({
      email: 'a@b.co',
      storeIds: [id],
    });
  });
});

describe('audit changes', () => {
  it('lists only the fields that changed', () => {
    expect(changes({ a: 1, b: [1], c: 'x' }, { a: 1, b: [2], c: 'y' })).toEqual({
      b: { from: [1], to: [2] },
      c: { from: 'x', to: 'y' },
    });
  });
});
