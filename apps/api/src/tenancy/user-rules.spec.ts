import { describe, expect, it } from 'vitest';
import { assertMayManage, maySee, nextAccess, removesActiveOwner, type UserAccess } from './user-rules.js';

const owner = { role: 'owner', storeIds: null } as const;
const manager = { role: 'manager', storeIds: ['a', 'b'] } as const;
const cashierActor = { role: 'cashier', storeIds: ['a'] } as const;
const cashier = (...storeIds: string[]): UserAccess => ({ role: 'cashier', storeIds });

describe('who may see a user', () => {
  it('owners see everyone; managers only users sharing one of their stores', () => {
    expect(maySee(owner, { role: 'owner', storeIds: [] })).toBe(true);
    expect(maySee(manager, cashier('b', 'c'))).toBe(true);
    expect(maySee(manager, cashier('c'))).toBe(false);
    expect(maySee(manager, { role: 'owner', storeIds: [] })).toBe(false);
  });
});

describe('who may manage a user', () => {
  const allowed = (
    actor: Parameters<typeof assertMayManage>[0],
    current: UserAccess | null,
    next: UserAccess,
  ) => {
    try {
      assertMayManage(actor, current, next);
      return true;
    } catch {
      return false;
    }
  };

  it('owners may do anything, including granting the owner role', () => {
    expect(allowed(owner, null, { role: 'owner', storeIds: [] })).toBe(true);
    expect(allowed(owner, { role: 'manager', storeIds: ['x'] }, { role: 'owner', storeIds: [] })).toBe(true);
  });

  it('managers handle cashiers whose stores, before and after, are all theirs', () => {
    expect(allowed(manager, null, cashier('a', 'b'))).toBe(true);
    expect(allowed(manager, cashier('a'), cashier('b'))).toBe(true);
    expect(allowed(manager, null, cashier('a', 'c'))).toBe(false);
    expect(allowed(manager, cashier('c'), cashier('a'))).toBe(false);
    expect(allowed(manager, null, { role: 'manager', storeIds: ['a'] })).toBe(false);
    expect(allowed(manager, null, { role: 'owner', storeIds: [] })).toBe(false);
    expect(allowed(manager, cashier('a'), { role: 'manager', storeIds: ['a'] })).toBe(false);
    expect(allowed(manager, { role: 'manager', storeIds: ['a'] }, cashier('a'))).toBe(false);
  });

  it('cashiers manage nobody', () => {
    expect(allowed(cashierActor, null, cashier('a'))).toBe(false);
  });
});

describe('the access a change leads to', () => {
  it('keeps the current stores unless new ones are given', () => {
    expect(nextAccess(cashier('a'), { role: 'manager' })).toEqual({ role: 'manager', storeIds: ['a'] });
    expect(nextAccess(cashier('a'), { storeIds: ['b'] })).toEqual({ role: 'cashier', storeIds: ['b'] });
  });

  it('owners have no store list, and one leaving the role must be given stores', () => {
    expect(nextAccess(cashier('a'), { role: 'owner' })).toEqual({ role: 'owner', storeIds: [] });
    expect(() => nextAccess(cashier('a'), { role: 'owner', storeIds: ['a'] })).toThrow(/omit storeIds/);
    expect(() => nextAccess({ role: 'owner', storeIds: [] }, { role: 'cashier' })).toThrow(/required/);
    expect(() => nextAccess({ role: 'owner', storeIds: [] }, { storeIds: ['a'] })).toThrow(/omit storeIds/);
    expect(nextAccess({ role: 'owner', storeIds: [] }, { role: 'cashier', storeIds: ['a'] })).toEqual(
      cashier('a'),
    );
  });

  it('knows when an active owner is taken away', () => {
    const activeOwner = { role: 'owner' as const, storeIds: [], active: true };
    expect(removesActiveOwner(activeOwner, { ...activeOwner, active: false })).toBe(true);
    expect(removesActiveOwner(activeOwner, { ...cashier('a'), active: true })).toBe(true);
    expect(removesActiveOwner(activeOwner, activeOwner)).toBe(false);
    expect(removesActiveOwner({ ...activeOwner, active: false }, { ...cashier('a'), active: false })).toBe(
      false,
    );
    expect(removesActiveOwner({ ...cashier('a'), active: true }, { ...cashier('a'), active: false })).toBe(
      false,
    );
  });
});
