import {describe, expect, it} from 'vitest';
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
