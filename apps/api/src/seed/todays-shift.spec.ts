import { describe, expect, it } from 'vitest';
import { todaysShift } from './todays-shift.js';

describe('todaysShift', () => {
  it('opens 90 minutes back and spreads the sales up to now in the middle of the day', () => {
    const shift = todaysShift(new Date('2026-12-02T14:00:00Z'), 3);
    expect(shift.opensAt.toISOString()).toBe('2026-12-02T12:30:00.000Z');
    expect(shift.salesAt.map((d) => d.toISOString())).toEqual([
      '2026-12-02T12:52:30.000Z',
      '2026-12-02T13:15:00.000Z',
      '2026-12-02T13:37:30.000Z',
    ]);
  });

  it.each(['2026-12-02T00:00:00Z', '2026-12-02T00:06:05Z', '2026-12-02T01:29:59Z'])(
    'keeps the opening and every sale on today and not after now at %s',
    (iso) => {
      const now = new Date(iso);
      const shift = todaysShift(now, 3);
      for (const at of [shift.opensAt, ...shift.salesAt]) {
        expect(at.toISOString().slice(0, 10)).toBe('2026-12-02');
        expect(at.getTime()).toBeLessThanOrEqual(now.getTime());
      }
      expect(shift.opensAt.toISOString()).toBe('2026-12-02T00:00:00.000Z');
    },
  );
});
