/**
 * The shop's figures from local docs, with credit notes netted out the way the server does
 * (services/reporting/history.py, services/reporting/reports.py): an invoice never changes; a credit note
 * (`credit_note:<uuid>`, naming its `invoice_id`) is
 * - in a customer's history, taken off its invoice whatever its date: per invoice
 *   `credited_paise` and `net_paise`, in the summary `invoices: {count, total, credited, net}`;
 * - in the day's takings, counted on the day of its own `issued_at` in the shop's time zone, not
 *   its invoice's: sales = invoices + incomplete sales − credit notes of that day (the server's
 *   sales report `amount`), and the money received is shown net of them too.
 * Pure functions over docs (no storage), so vitest checks them with hand-computed cases.
 */
import {DEFAULT_TIME_ZONE} from '../../shared/numbering.js';
import type {Doc} from './db';

/** The shop's IANA time zone (business.timezone), Asia/Kolkata when unset or unknown. */
export function zoneOf(business: Doc | null | undefined): string {
  const zone = business?.timezone;
  if (typeof zone !== 'string' || !zone) {
    return DEFAULT_TIME_ZONE;
  }
  try {
    new Intl.DateTimeFormat('en-CA', {timeZone: zone});
    return zone;
  } catch {
    return DEFAULT_TIME_ZONE;
  }
}

/** The day of an instant in the shop's time zone, "2026-11-25". */
export function shopDay(stamp: string | Date, timeZone = DEFAULT_TIME_ZONE): string {
  return new Intl.DateTimeFormat('en-CA', {timeZone}).format(new Date(stamp));
}

/** total − paid at checkout − later payments. */
export function due(sale: Doc, payments: Doc[]): number {
  return sale.total_paise - sale.paid_paise - payments.reduce((s, p) => s + p.amount_paise, 0);
}

export interface CreditedLine {
  qty_milli: number;
  amount_paise: number;
}

export interface Credits {
  /** The credit notes of the invoice, oldest first. */
  notes: Doc[];
  credited_paise: number;
  net_paise: number;
  /** Per invoice line (same index): quantity and money credited. */
  lines: CreditedLine[];
}

function byIssue(a: Doc, b: Doc): number {
  return Date.parse(a.issued_at) - Date.parse(b.issued_at) || a._id.localeCompare(b._id);
}

/** What the credit notes among `notes` that name `invoice` take off it. */
export function creditsOf(invoice: Doc, notes: Doc[]): Credits {
  const mine = notes.filter((n) => n.invoice_id === invoice._id).sort(byIssue);
  const lines: CreditedLine[] = invoice.lines.map(() => ({qty_milli: 0, amount_paise: 0}));
  for (const note of mine) {
    for (const line of note.lines ?? []) {
      const credited = lines[line.line_index];
      if (credited) { // a note naming no line of the invoice: its total still counts
        credited.qty_milli += line.qty_milli;
        credited.amount_paise += line.amount_paise;
      }
    }
  }
  const credited = mine.reduce((s, n) => s + n.total_paise, 0);
  return {notes: mine, credited_paise: credited, net_paise: invoice.total_paise - credited, lines};
}

export interface Purchase {
  sale: Doc;
  invoice: Doc | null;
  due_paise: number;
  /** Credit notes of its invoice (none for a sale without one). */
  credit_notes: Doc[];
  credited_paise: number;
  net_paise: number;
}

export interface LocalDocs {
  sales: Doc[];
  invoices: Doc[];
  payments: Doc[];
  credit_notes: Doc[];
}

/** One purchase per sale of `docs.sales`, with its invoice, dues and credit notes; newest first. */
export function purchasesOf(docs: LocalDocs): Purchase[] {
  const invoices = new Map(docs.invoices.map((i) => [i.sale_id, i]));
  return [...docs.sales].sort((a, b) => b.created_at.localeCompare(a.created_at)).map((sale) => {
    const invoice = invoices.get(sale._id) ?? null;
    const credits = invoice ? creditsOf(invoice, docs.credit_notes) : null;
    return {sale, invoice, due_paise: due(sale, docs.payments.filter((p) => p.sale_id === sale._id)),
      credit_notes: credits?.notes ?? [], credited_paise: credits?.credited_paise ?? 0,
      net_paise: credits?.net_paise ?? sale.total_paise};
  });
}

export interface HistorySummary {
  purchases: number;
  /** What the customer bought, net of credit notes (each purchase's `net_paise`). */
  net_paise: number;
  invoices: {count: number; total: number; credited: number; net: number};
  incomplete: {count: number; total: number; outstanding: number};
}

/** The summary of a customer's purchases (the server's history `invoices` and `incomplete`). */
export function summarize(purchases: Purchase[]): HistorySummary {
  const invoiced = purchases.filter((p) => p.invoice);
  const open = purchases.filter((p) => !p.invoice && p.sale.status === 'incomplete');
  const sum = (list: Purchase[], f: (p: Purchase) => number) => list.reduce((s, p) => s + f(p), 0);
  const invoices = {count: invoiced.length, total: sum(invoiced, (p) => p.invoice!.total_paise),
    credited: sum(invoiced, (p) => p.credited_paise), net: sum(invoiced, (p) => p.net_paise)};
  const incomplete = {count: open.length, total: sum(open, (p) => p.sale.total_paise),
    outstanding: sum(open, (p) => Math.max(0, p.due_paise))};
  return {purchases: purchases.length, net_paise: sum(purchases, (p) => p.net_paise), invoices, incomplete};
}

export interface Takings {
  invoices: number;
  invoiced_paise: number;
  incomplete: number;
  due_paise: number;
  collected_paise: number;
  credit_notes: number;
  credited_paise: number;
  /** Money received less the credit notes of the day. */
  net_collected_paise: number;
  /** Invoices + incomplete sales − credit notes of the day (the server's sales report `amount`). */
  net_sales_paise: number;
}

/** The figures of one day (`day` in `timeZone`): each doc counts on the day of its own time. */
export function takingsOn(docs: LocalDocs, day: string, timeZone = DEFAULT_TIME_ZONE): Takings {
  const on = (stamp: string) => shopDay(stamp, timeZone) === day;
  const sales = docs.sales.filter((s) => on(s.created_at));
  const invoices = docs.invoices.filter((i) => on(i.issued_at));
  const payments = docs.payments.filter((p) => on(p.paid_at));
  const notes = docs.credit_notes.filter((n) => on(n.issued_at));
  const invoicedSales = new Set(docs.invoices.map((i) => i.sale_id));
  const open = purchasesOf({...docs, sales: sales.filter((s) => s.status === 'incomplete'
    && !invoicedSales.has(s._id))});
  const owing = open.filter((p) => p.due_paise > 0);
  const invoiced = invoices.reduce((s, i) => s + i.total_paise, 0);
  const collected = sales.reduce((s, x) => s + x.paid_paise, 0) + payments.reduce((s, p) => s + p.amount_paise, 0);
  const credited = notes.reduce((s, n) => s + n.total_paise, 0);
  return {
    invoices: invoices.length, invoiced_paise: invoiced,
    incomplete: owing.length, due_paise: owing.reduce((s, p) => s + p.due_paise, 0),
    collected_paise: collected,
    credit_notes: notes.length, credited_paise: credited,
    net_collected_paise: collected - credited,
    net_sales_paise: invoiced + open.reduce((s, p) => s + p.sale.total_paise, 0) - credited,
  };
}

export type Method = 'cash' | 'upi' | 'card' | 'other' | 'unknown';

/**
 * Money in hand on one day by payment method: what was paid at checkout (the sale's
 * `paid_method`; `unknown` for sales saved before the app recorded it) plus later payments, less
 * the money given back that day by a credit note's `refund_method` (a credit note that gave no
 * money back takes nothing out of any drawer), so the cash figure is what the drawer should hold.
 */
export function byMethodOn(docs: LocalDocs, day: string, timeZone = DEFAULT_TIME_ZONE): Record<Method, number> {
  const on = (stamp: string) => shopDay(stamp, timeZone) === day;
  const out: Record<Method, number> = {cash: 0, upi: 0, card: 0, other: 0, unknown: 0};
  const key = (m: unknown): Method => (m === 'cash' || m === 'upi' || m === 'card' || m === 'other' ? m : 'unknown');
  docs.sales.filter((s) => on(s.created_at) && s.paid_paise > 0).forEach((s) => { out[key(s.paid_method)] += s.paid_paise; });
  docs.payments.filter((p) => on(p.paid_at)).forEach((p) => { out[key(p.method)] += p.amount_paise; });
  docs.credit_notes.filter((n) => on(n.issued_at) && n.refund_method)
    .forEach((n) => { out[key(n.refund_method)] -= n.total_paise; });
  return out;
}

export interface CustomerRow {
  phone: string;
  name: string | null;
  purchases: number;
  due_paise: number;
  last_at: string;
}

/** Every customer with a sale on this phone: name when known, purchases, what they owe; newest first. */
export function customerRows(docs: LocalDocs, customers: Doc[]): CustomerRow[] {
  const names = new Map(customers.map((c) => [c._id.slice('customer:'.length), c.name as string | undefined]));
  const rows = new Map<string, CustomerRow>();
  for (const p of purchasesOf(docs)) {
    const phone = p.sale.customer_phone;
    const row = rows.get(phone) ?? {phone, name: names.get(phone) ?? null, purchases: 0, due_paise: 0,
      last_at: p.sale.created_at};
    row.purchases += 1;
    if (!p.invoice && p.sale.status === 'incomplete') {
      row.due_paise += Math.max(0, p.due_paise);
    }
    row.last_at = row.last_at > p.sale.created_at ? row.last_at : p.sale.created_at;
    rows.set(phone, row);
  }
  return [...rows.values()].sort((a, b) => b.last_at.localeCompare(a.last_at));
}
