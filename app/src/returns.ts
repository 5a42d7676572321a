/**
 * Sale returns made on the phone, offline: a credit note (GST Sec 34) against an issued invoice,
 * by line and quantity, numbered in this device's credit-note series (shared/numbering.js).
 *
 * The money is the server's (services/billing/credit_notes.py `credit_lines`), so a note made
 * here is the one the REST path would make: a credited line's money is the golden line money
 * (money.ts) of the credited quantity, its discounts prorated half up, never more than what is
 * left of each amount; the credit that brings a line to its full quantity takes exactly what is
 * left. So the notes of an invoice add up to it to the paisa and the auditor's over-credit check
 * (services/integrity/auditor/money.py) passes. What is left counts every credit note on this
 * phone (the phone does not know the auditor's findings). Pure functions, as figures.ts; the
 * screen and the write are ui/returns.ts.
 */
import type {Doc} from './db';
import {t} from './i18n';
import {lineMoney, roundHalfUpDiv} from './money';

export const MONEY = ['amount_paise', 'taxable_paise', 'cgst_paise', 'sgst_paise', 'igst_paise'] as const;
const COUNTED = ['qty_milli', ...MONEY] as const;
type Counted = Record<(typeof COUNTED)[number], number>;

export interface ReturnLine {
  line_index: number;
  qty_milli: number;
}

/** A credit note's line (validators/schema_parts.py `credit_line`). */
export type CreditLine = ReturnLine & Record<(typeof MONEY)[number], number>;

/** A return the rules refuse; `line_index` names the invoice line when one is at fault. */
export class ReturnError extends Error {
  constructor(message: string, readonly line_index: number | null = null) {
    super(message);
  }
}

function zero(): Counted {
  return {qty_milli: 0, amount_paise: 0, taxable_paise: 0, cgst_paise: 0, sgst_paise: 0, igst_paise: 0};
}

/** Per invoice line (same index): the quantity and money its credit notes among `notes` took. */
export function creditedSoFar(invoice: Doc, notes: Doc[]): Counted[] {
  const done = invoice.lines.map(zero);
  for (const note of notes.filter((n) => n.invoice_id === invoice._id)) {
    for (const line of note.lines ?? []) {
      const acc = done[line.line_index];
      if (acc) {
        COUNTED.forEach((k) => { acc[k] += line[k]; });
      }
    }
  }
  return done;
}

/** Per invoice line: the quantity (thousandths) that can still be returned. */
export function leftToReturn(invoice: Doc, notes: Doc[]): number[] {
  const done = creditedSoFar(invoice, notes);
  return invoice.lines.map((line: Doc, i: number) => line.qty_milli - done[i].qty_milli);
}

/** The credit note's lines for `requested` quantities; throws ReturnError for more than is left. */
export function creditLines(invoice: Doc, requested: ReturnLine[], notes: Doc[]): CreditLine[] {
  const done = creditedSoFar(invoice, notes);
  const lines = requested.filter((r) => r.qty_milli > 0).map((r) => {
    const line = invoice.lines[r.line_index];
    if (!line) {
      throw new ReturnError(t.returns.noSuchLine, r.line_index);
    }
    const before = done[r.line_index];
    const left = line.qty_milli - before.qty_milli;
    if (r.qty_milli > left) {
      throw new ReturnError(t.returns.moreThanLeft(line.name), r.line_index);
    }
    const money = {} as Record<(typeof MONEY)[number], number>;
    if (r.qty_milli === left) { // the last credit of the line takes exactly what is left of it
      MONEY.forEach((k) => { money[k] = line[k] - before[k]; });
    } else {
      // the line's own discount and its share of a bill discount, prorated together
      const taken = BigInt((line.discount_paise ?? 0) + (line.bill_discount_paise ?? 0));
      const discount = roundHalfUpDiv(taken * BigInt(r.qty_milli), BigInt(line.qty_milli));
      const computed = lineMoney({qty_milli: r.qty_milli, unit_price_paise: line.unit_price_paise,
        gst_rate_bp: line.gst_rate_bp, price_includes_gst: line.price_includes_gst,
        discount_paise: Number(discount)}, invoice.supply);
      MONEY.forEach((k) => { money[k] = Math.min(computed[k], line[k] - before[k]); });
      money.amount_paise = money.taxable_paise + money.cgst_paise + money.sgst_paise + money.igst_paise;
    }
    return {line_index: r.line_index, qty_milli: r.qty_milli, ...money};
  });
  if (!lines.length) {
    throw new ReturnError(t.returns.nothingPicked);
  }
  if (lines.reduce((s, l) => s + l.amount_paise, 0) < 1) {
    throw new ReturnError(t.returns.creditsNothing);
  }
  return lines;
}
