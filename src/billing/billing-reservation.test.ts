import { describe, expect, it } from 'vitest';
import { isoTime } from './billing-reservation.js';

describe('isoTime', () => {
  it('writes what toISOString writes, for times in any order within and across seconds', () => {
    const start = Date.parse('2026-11-28T23:59:59.000Z');
    const offsets = [0, 1, 9, 10, 99, 100, 999, 1_000, 1_001, 5, -1, -1_000, 86_400_000, 86_400_999, 3, 999];
    for (const offset of offsets) {
      const date = new Date(start + offset);
      expect(isoTime(date)).toBe(date.toISOString());
    }
    let random = 12345;
    for (let index = 0; index < 2_000; index += 1) {
      random = (random * 1_103_515_245 + 12_345) % 2 ** 31;
      const date = new Date(start + (random % 5_000) - 2_500);
      expect(isoTime(date)).toBe(date.toISOString());
    }
  });

  it('years outside 0–9999 keep their signed form', () => {
    const far = new Date(Date.UTC(10_000, 0, 1, 0, 0, 0, 5));
    expect(isoTime(far)).toBe(far.toISOString());
    expect(isoTime(new Date(far.getTime() + 1))).toBe(new Date(far.getTime() + 1).toISOString());
  });
});
