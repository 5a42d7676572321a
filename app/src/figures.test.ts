/**
 * Credit notes netted out of the phone's figures, with the hand-computed shop of
 * tests/services/api/test_credit_note_figures.py (IST, UTC+5:30), so the phone and the server
 * agree on the same docs:
 *   #1 X 03 Nov 10:00  invoice 2 spark plugs   23600
 *   #2 X 05 Nov 12:00  invoice 1 brake pad     22400
 *   #3 Y 07 Nov 10:00  invoice 2 engine oil    10000
 *   #4 X 08 Nov 10:00  incomplete 1 oil 5000, paid 1000; 09 Nov a payment of 1500 → owes 2500
 *   A  10 Dec 11:00  credit note on #1: one plug 11800        — another month
 *   B  06 Nov 00:15  credit note on #2: all of it 22400       — another day (05 Nov 18:45 UTC)
 */
import {describe, expect, test} from 'vitest';
import type {Doc} from './db';
import {
  byMethodOn, creditsOf, type LocalDocs, purchasesOf, shopDay, summarize, takingsOn, zoneOf,
} from './figures';

const X = '+919812345678';
const Y = '+919876543210';

/** "2026-11-03T04:30:00Z" for 03 Nov 10:00 IST. */
function ist(day: string, time = '10:00'): string {
  const stamp = new Date(Date.parse(`${day}T${time}:00+05:30`));
  return stamp.toISOString().replace(/\.000Z$/, 'Z');
}

function line(name: string, qty: number, amount: number): Doc {
  return {_id: '', item_id: `item:${name}`, name, qty_milli: qty, amount_paise: amount};
}

function checkout(n: number, phone: string, at: string, lines: Doc[], paid?: number): {sale: Doc; invoice: Doc | null} {
  const total = lines.reduce((s, l) => s + l.amount_paise, 0);
  const uuid = `0000000${n}`;
  const full = paid === undefined;
  const sale = {_id: `sale:${uuid}`, type: 'sale', customer_phone: phone, created_at: at, lines,
    total_paise: total, paid_paise: full ? total : paid, status: full ? 'invoiced' : 'incomplete'};
  const invoice = full ? {_id: `invoice:${uuid}`, type: 'invoice', sale_id: sale._id, number: `A1/2627/00000${n}`,
    customer_phone: phone, lines, total_paise: total, paid_paise: total, issued_at: at} : null;
  return {sale, invoice};
}

function note(id: string, invoice: Doc, at: string, credited: [number, number, number][]): Doc {
  const lines = credited.map(([index, qty, amount]) => ({line_index: index, qty_milli: qty, amount_paise: amount}));
  return {_id: `credit_note:${id}`, type: 'credit_note', invoice_id: invoice._id, number: `0C/2627/00000${id}`,
    reason: 'Returned by the customer', lines, issued_at: at,
    total_paise: lines.reduce((s, l) => s + l.amount_paise, 0)};
}

const one = checkout(1, X, ist('2026-11-03'), [line('Spark plug', 2000, 23600)]);
const two = checkout(2, X, ist('2026-11-05', '12:00'), [line('Brake pad', 1000, 22400)]);
const three = checkout(3, Y, ist('2026-11-07'), [line('Engine oil', 2000, 10000)]);
const due = checkout(4, X, ist('2026-11-08'), [line('Engine oil', 1000, 5000)], 1000);
const payment = {_id: 'payment:1', type: 'payment', sale_id: due.sale._id, amount_paise: 1500,
  paid_at: ist('2026-11-09')};
const a = note('1', one.invoice!, ist('2026-12-10', '11:00'), [[0, 1000, 11800]]);
const b = note('2', two.invoice!, ist('2026-11-06', '00:15'), [[0, 1000, 22400]]);

const docs: LocalDocs = {
  sales: [one, two, three, due].map((c) => c.sale),
  invoices: [one, two, three].map((c) => c.invoice!),
  payments: [payment],
  credit_notes: [a, b],
};

function historyOf(phone: string) {
  return purchasesOf({...docs, sales: docs.sales.filter((s) => s.customer_phone === phone)});
}

describe('customer history nets every credit note out of its invoice, whatever its date', () => {
  test('per purchase: credited and net, newest first', () => {
    expect(historyOf(X).map((p) => [p.sale._id, p.credited_paise, p.net_paise, p.due_paise])).toEqual([
      [due.sale._id, 0, 5000, 2500], [two.sale._id, 22400, 0, 0], [one.sale._id, 11800, 11800, 0]]);
    expect(historyOf(X)[2].credit_notes.map((n) => [n.number, n.total_paise])).toEqual([['0C/2627/000001', 11800]]);
  });
  test('the summary: invoices {count, total, credited, net} as the server gives them', () => {
    const sum = summarize(historyOf(X));
    expect(sum.invoices).toEqual({count: 2, total: 46000, credited: 34200, net: 11800});
    expect(sum.incomplete).toEqual({count: 1, total: 5000, outstanding: 2500});
    expect(sum.purchases).toBe(3);
    expect(sum.net_paise).toBe(16800);
    expect(summarize(historyOf(Y)).invoices).toEqual({count: 1, total: 10000, credited: 0, net: 10000});
  });
  test('per line: the credited quantity and money; the invoice is untouched', () => {
    const before = structuredClone(one.invoice!);
    const credits = creditsOf(one.invoice!, [a, b]);
    expect(credits.lines).toEqual([{qty_milli: 1000, amount_paise: 11800}]);
    expect([credits.credited_paise, credits.net_paise, credits.notes.length]).toEqual([11800, 11800, 1]);
    expect(one.invoice).toEqual(before);
  });
  test('several notes: oldest first, added up; a note naming no line of the invoice still counts', () => {
    const later = note('3', one.invoice!, ist('2026-12-11'), [[0, 1000, 11800]]);
    const odd = note('4', one.invoice!, ist('2026-12-09'), [[5, 1000, 100]]);
    const credits = creditsOf(one.invoice!, [later, a, odd]);
    expect(credits.notes.map((n) => n._id)).toEqual([odd._id, a._id, later._id]);
    expect([credits.credited_paise, credits.net_paise]).toEqual([23700, -100]);
    expect(credits.lines).toEqual([{qty_milli: 2000, amount_paise: 23600}]);
  });
});

describe("the day's takings count a credit note on its own day, in the shop's time zone", () => {
  test('the invoice day, before its credit note', () => {
    expect(takingsOn(docs, '2026-11-05')).toEqual({invoices: 1, invoiced_paise: 22400, incomplete: 0, due_paise: 0,
      collected_paise: 22400, credit_notes: 0, credited_paise: 0, net_collected_paise: 22400, net_sales_paise: 22400});
  });
  test('15 minutes after midnight IST (18:45 UTC the day before) is the next day', () => {
    expect(takingsOn(docs, '2026-11-06')).toEqual({invoices: 0, invoiced_paise: 0, incomplete: 0, due_paise: 0,
      collected_paise: 0, credit_notes: 1, credited_paise: 22400, net_collected_paise: -22400,
      net_sales_paise: -22400});
  });
  test('in a shop on UTC the same credit note falls on its invoice day', () => {
    const t = takingsOn(docs, '2026-11-05', 'UTC');
    expect([t.invoices, t.credit_notes, t.net_sales_paise, t.net_collected_paise]).toEqual([1, 1, 0, 0]);
  });
  test('a credit note of a November invoice counts in December', () => {
    const t = takingsOn(docs, '2026-12-10');
    expect([t.invoices, t.credit_notes, t.credited_paise, t.net_sales_paise]).toEqual([0, 1, 11800, -11800]);
  });
  test('incomplete sales count their total in sales, their money when received', () => {
    expect(takingsOn(docs, '2026-11-08')).toEqual({invoices: 0, invoiced_paise: 0, incomplete: 1, due_paise: 2500,
      collected_paise: 1000, credit_notes: 0, credited_paise: 0, net_collected_paise: 1000, net_sales_paise: 5000});
    expect(takingsOn(docs, '2026-11-09').collected_paise).toBe(1500);
  });
  test('a credit note whose invoice has not reached the phone yet still counts on its day', () => {
    const stray = {...b, _id: 'credit_note:9', invoice_id: 'invoice:99999999'};
    expect(takingsOn({...docs, credit_notes: [stray]}, '2026-11-06').credited_paise).toBe(22400);
    expect(historyOf(X).every((p) => p.credit_notes.every((n) => n._id !== stray._id))).toBe(true);
  });
  test('over every day, the net sales agree with the histories (as the server reports do)', () => {
    const days = new Set([...docs.invoices.map((i) => i.issued_at), ...docs.credit_notes.map((n) => n.issued_at)]
      .map((s) => shopDay(s)));
    const invoicedNet = [...days].reduce((s, d) => {
      const t = takingsOn(docs, d);
      return s + t.invoiced_paise - t.credited_paise;
    }, 0);
    const histories = [X, Y].reduce((s, p) => s + summarize(historyOf(p)).invoices.net, 0);
    expect([invoicedNet, histories]).toEqual([21800, 21800]);
  });
});

describe('money in hand by payment method', () => {
  const cashSale = {...one.sale, _id: 'sale:c', paid_method: 'cash', created_at: ist('2026-11-20')};
  const upiPayment = {...payment, _id: 'payment:u', method: 'upi', paid_at: ist('2026-11-20', '15:00')};
  const day = {sales: [cashSale], invoices: [], payments: [upiPayment], credit_notes: []} as LocalDocs;
  test('a refund in cash comes out of the cash figure, not out of UPI', () => {
    const refund = {...a, issued_at: ist('2026-11-20', '16:00'), refund_method: 'cash'};
    expect(byMethodOn({...day, credit_notes: [refund]}, '2026-11-20'))
      .toEqual({cash: 23600 - 11800, upi: 1500, card: 0, other: 0, unknown: 0});
  });
  test('a credit note that gave no money back, or on another day, takes nothing out', () => {
    const kept = {...a, issued_at: ist('2026-11-20', '16:00')};
    const later = {...a, _id: 'credit_note:7', issued_at: ist('2026-11-21'), refund_method: 'cash'};
    expect(byMethodOn({...day, credit_notes: [kept, later]}, '2026-11-20'))
      .toEqual({cash: 23600, upi: 1500, card: 0, other: 0, unknown: 0});
  });
});

describe('time zone of the shop', () => {
  test('business.timezone when it is a real zone, else Asia/Kolkata', () => {
    expect(zoneOf({_id: 'business', timezone: 'Asia/Dubai'})).toBe('Asia/Dubai');
    expect(zoneOf({_id: 'business', timezone: 'Mars/Olympus'})).toBe('Asia/Kolkata');
    expect(zoneOf(null)).toBe('Asia/Kolkata');
  });
  test('midnight IST splits the days', () => {
    expect(shopDay('2026-11-05T18:29:59Z')).toBe('2026-11-05');
    expect(shopDay('2026-11-05T18:30:00Z')).toBe('2026-11-06');
  });
});
