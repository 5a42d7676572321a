import {describe, expect, it} from 'vitest';
import '../print/invoice.js';
import vectors from '../../validators/examples/credit_lines.json';
import {creditLines, leftToReturn, ReturnError} from './returns';

// An invoice with a line discount, a whole-bill discount (shared over its lines), GST included
// and excluded, intra- and inter-state, returned in three steps (the last takes what is left of
// both lines). `lines` of each step are what the server's credit_lines
// (services/billing/credit_notes.py) computes for it (tests/services/test_credit_lines.py): the
// phone must make the same credit note.
const CASES: any[] = vectors.cases;

describe('creditLines is the server\'s credit_lines', () => {
  for (const c of CASES) {
    it(`${c.invoice.supply}: partial, partial, then the rest`, () => {
      const notes: any[] = [];
      for (const step of c.steps) {
        const lines = creditLines(c.invoice, step.requested, notes);
        expect(lines).toEqual(step.lines);
        notes.push({_id: `credit_note:${notes.length}`, invoice_id: c.invoice._id, lines});
      }
      expect(leftToReturn(c.invoice, notes)).toEqual([0, 0]);
      for (const [i, line] of (c.invoice.lines as Record<string, any>[]).entries()) { // all the notes add up to the invoice
        for (const k of ['amount_paise', 'taxable_paise', 'cgst_paise', 'sgst_paise', 'igst_paise']) {
          expect(notes.reduce((s, n) => s + (n.lines.find((l: any) => l.line_index === i)?.[k] ?? 0), 0)).toBe(line[k]);
        }
      }
    });
  }
});

describe('a return never takes more than is left', () => {
  const invoice = CASES[0].invoice;
  const first = {_id: 'credit_note:a', invoice_id: invoice._id,
    lines: creditLines(invoice, [{line_index: 0, qty_milli: 2000}], [])};
  const other = {...first, _id: 'credit_note:b', invoice_id: 'invoice:other'};

  it('counts the notes of this invoice only', () => {
    expect(leftToReturn(invoice, [first, other])).toEqual([1000, 2500]);
  });

  it('refuses more than is left of a line, naming it', () => {
    const refused = () => creditLines(invoice, [{line_index: 0, qty_milli: 1500}], [first]);
    expect(refused).toThrow(ReturnError);
    expect(refused).toThrow('Spark plug: that is more than is left to return.');
  });

  it('refuses a return of nothing', () => {
    expect(() => creditLines(invoice, [{line_index: 0, qty_milli: 0}], [])).toThrow('at least one line');
  });

  it('refuses a line the invoice does not have', () => {
    expect(() => creditLines(invoice, [{line_index: 5, qty_milli: 1000}], [])).toThrow('not on the invoice');
  });
});

describe('a credit note prints as the invoice of what it credits', () => {
  const print = (globalThis as any).ShopbillPrint;
  const invoice = {...CASES[0].invoice, number: '7/2627/000009', issued_at: '2026-11-20T05:00:00Z',
    customer_phone: '+919812345678', round_off_paise: 0, bill_discount_paise: 777};
  const lines = creditLines(invoice, [{line_index: 0, qty_milli: 1000}], []);
  const note = {number: 'C007/2627/000001', issued_at: '2026-11-25T05:00:00Z', reason: 'Wrong size', lines,
    total_paise: lines[0].amount_paise, refund_method: 'upi'};
  const view = print.invoiceView({invoice, credit_note: note, business: {name: 'Sri Murugan Auto Spares'}});

  it('is titled Credit Note, numbered and dated as itself, naming its invoice', () => {
    expect(view.title).toBe('Credit Note');
    expect(view.meta.slice(0, 6)).toEqual([['Credit Note No.', 'C007/2627/000001'], ['Date', '25 Nov 2026, 10:30 am'],
      ['Original invoice', '7/2627/000009'], ['Invoice date', '20 Nov 2026, 10:30 am'], ['Reason', 'Wrong size'],
      ['Refunded by', 'UPI']]);
  });

  it('shows the credited lines: qty × rate less the discount shown is their money; no round-off, no bill note', () => {
    expect(view.items.map((it: any) => [it.qty, it.rate, it.discount, it.taxable, it.amount]))
      .toEqual([['1 pcs', '99.99 (incl. GST)', '3.86', '85.83', '96.13']]);
    expect(view.totals.map((row: string[]) => row[0])).toEqual(['Taxable value', 'CGST', 'SGST', 'Total']);
    expect(view.totals.at(-1)).toEqual(['Total', '₹ 96.13']);
    expect(view.billDiscount).toBe('');
  });
});
