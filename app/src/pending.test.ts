import {describe, expect, test} from 'vitest';
import {en} from './i18n/en';
import {kindsOf} from './pending';

describe('the sync bar counts what the owner made, not records', () => {
  test('a sale and its invoice are one bill; a credit note is a return; local docs do not count', () => {
    const kinds = kindsOf(['sale:u1', 'invoice:u1', 'sale:u2', 'credit_note:c1', 'payment:p1', 'item:i1',
      '_local/counter']);
    expect(kinds).toEqual({bills: 2, returns: 1, payments: 1, others: 1});
    expect(en.notSent(kinds)).toBe('2 bills, 1 return, 1 payment, 1 other change not sent yet');
  });
});
