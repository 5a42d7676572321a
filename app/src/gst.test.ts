import {describe, expect, test} from 'vitest';
import vectors from '../../validators/examples/arithmetic.json';
import {gstinCheckDigitOk, gstinProblem, STATES} from './gst';
import {supplyOf} from './money';

describe('GSTIN', () => {
  test('check character as validators/checks.py', () => {
    expect(gstinCheckDigitOk('27AAPFU0939F1ZV')).toBe(true);
    expect(gstinCheckDigitOk('27AAPFU0939F1ZW')).toBe(false);
    expect(gstinCheckDigitOk('33AAACM1234A1ZF')).toBe(true);
    expect(gstinCheckDigitOk('29AAACM1234A1Z4')).toBe(true);
  });
  test('problems in words', () => {
    expect(gstinProblem('33AAACM1234A1ZF')).toBeNull();
    expect(gstinProblem('33AAACM1234A1ZG')).toContain('typo');
    expect(gstinProblem('33AAACM1234')).toContain('15 characters');
    expect(gstinProblem('99AAACM1234A1ZF')).toContain('15 characters');
  });
});

describe('supply (validators/examples/arithmetic.json supply_cases)', () => {
  const cases = (vectors as unknown as {supply_cases: {name: string; shop_state: string | null;
    place_of_supply: string | null; supply: string}[]}).supply_cases;
  test('there are supply vectors', () => expect(cases.length).toBeGreaterThan(4));
  for (const c of cases) {
    test(c.name, () => expect(supplyOf(c.shop_state, c.place_of_supply)).toBe(c.supply));
  }
});

test('the state table is the printable invoice one', async () => {
  await import('../print/invoice.js'); // a classic script: defines ShopbillPrint on the global object
  expect((globalThis as any).ShopbillPrint.STATES).toEqual(STATES);
});
