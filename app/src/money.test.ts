import {describe, expect, test} from 'vitest';
import vectors from '../../validators/examples/arithmetic.json';
import {
  billShares, groupIndian, lineMoney, ownDiscount, parseQty, parseRupees, roundHalfUpDiv, rupees, saleMoney, type LineInput,
  type Supply,
} from './money';

interface Case {
  name: string;
  input: {supply: Supply; round_off: boolean; lines: LineInput[]; bill_discount_paise?: number;
    bill_discount_bp?: number};
  expected?: Record<string, unknown>;
  error?: string;
}

const cases = (vectors as {cases: Case[]}).cases;

describe('golden vectors (validators/examples/arithmetic.json)', () => {
  test('there are vectors to run', () => {
    expect(cases.length).toBeGreaterThan(10);
  });
  for (const c of cases) {
    test(c.name, () => {
      const run = () => saleMoney(c.input.lines, c.input.supply, c.input.round_off,
        c.input.bill_discount_paise ?? 0, c.input.bill_discount_bp ?? null);
      if (c.expected) {
        expect(run()).toEqual(c.expected);
      } else {
        expect(run).toThrow(c.error);
      }
    });
  }
});

describe('discounts, worked by hand', () => {
  test('largest remainder, ties to the earlier line', () => {
    expect(billShares([10000n, 5000n, 5000n], 1000n)).toEqual([500n, 250n, 250n]);
    expect(billShares([333n, 333n, 333n], 1n)).toEqual([1n, 0n, 0n]);
    expect(billShares([100n, 200n, 700n], 7n)).toEqual([1n, 1n, 5n]);
    expect(() => billShares([100n], 101n)).toThrow();
  });
  test('percentages round half up', () => {
    expect(ownDiscount({qty_milli: 3000, unit_price_paise: 19999, gst_rate_bp: 1800, discount_bp: 1000})).toBe(6000n);
    expect(ownDiscount({qty_milli: 1000, unit_price_paise: 100, gst_rate_bp: 0, discount_bp: 1250})).toBe(13n);
  });
});

describe('BigInt keeps products beyond 2^53 exact', () => {
  test('10^8 thousandths at ₹1 crore', () => {
    const m = lineMoney({qty_milli: 100_000_000, unit_price_paise: 1_000_000_000, gst_rate_bp: 4000,
      price_includes_gst: false}, 'inter_state');
    expect(m.taxable_paise).toBe(100_000_000_000_000);
    expect(m.amount_paise).toBe(140_000_000_000_000);
  });
  test('half rounds up', () => {
    expect(roundHalfUpDiv(5n, 10n)).toBe(1n);
    expect(roundHalfUpDiv(4n, 10n)).toBe(0n);
  });
});

describe('Indian formatting and parsing', () => {
  test('lakh and crore grouping', () => {
    expect(groupIndian(64000050)).toBe('6,40,000.50');
    expect(groupIndian(1234567850)).toBe('1,23,45,678.50');
    expect(groupIndian(99900)).toBe('999.00');
    expect(rupees(100000)).toBe('₹1,000.00');
  });
  test('rupee input to paise, exactly', () => {
    expect(parseRupees('99.99')).toBe(9999);
    expect(parseRupees('0.1')).toBe(10);
    expect(parseRupees('₹1,20,000.5')).toBe(12000050);
    expect(parseRupees('1.234')).toBeNull();
    expect(parseRupees('-5')).toBeNull();
    expect(parseRupees('abc')).toBeNull();
  });
  test('quantities in thousandths', () => {
    expect(parseQty('1.5')).toBe(1500);
    expect(parseQty('0.001')).toBe(1);
    expect(parseQty('2')).toBe(2000);
    expect(parseQty('1.2345')).toBeNull();
  });
});
