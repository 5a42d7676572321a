/**
 * The shop's rules on the phone: checkout (paid == total issues the invoice, less stores an
 * incomplete sale), later payments, and the figures read from local data (history, takings, dues).
 */
import {allOf, create, type Doc, getDoc, issueInvoice, newDoc, now, update} from './db';
import {MoneyError, rupees, saleMoney, type Supply} from './money';

export interface CartLine {
  item: Doc;
  qty_milli: number;
  discount_paise: number;
}

export const FRACTIONAL_UNITS = ['kg', 'g', 'l', 'ml', 'm', 'cm', 'ft', 'sqft'];

/** The sale lines with their money (golden rules); throws MoneyError for a bad discount. */
export function priceCart(cart: CartLine[], supply: Supply, roundOffEnabled: boolean) {
  const money = saleMoney(cart.map((l) => ({qty_milli: l.qty_milli,
    unit_price_paise: l.item.unit_price_paise, gst_rate_bp: l.item.gst_rate_bp,
    price_includes_gst: l.item.price_includes_gst, discount_paise: l.discount_paise})),
  supply, roundOffEnabled);
  const lines = cart.map((l, i) => {
    const line: Record<string, unknown> = {item_id: l.item._id, name: l.item.name, unit: l.item.unit,
      unit_price_paise: l.item.unit_price_paise, price_includes_gst: l.item.price_includes_gst,
      gst_rate_bp: l.item.gst_rate_bp, qty_milli: l.qty_milli, discount_paise: l.discount_paise,
      ...money.lines[i]};
    if (l.item.hsn) {
      line.hsn = l.item.hsn;
    }
    return line;
  });
  return {lines, round_off_paise: money.round_off_paise, total_paise: money.total_paise};
}

export interface Checkout {
  sale: Doc;
  invoice: Doc | null;
}

/** Store the sale; when paid == total, issue its invoice from this device's series. */
export async function checkout(args: {phone: string; cart: CartLine[]; paid_paise: number;
  supply: Supply; roundOff: boolean; series: string}): Promise<Checkout> {
  if (!args.cart.length) {
    throw new MoneyError('The cart is empty: add an item first.');
  }
  const priced = priceCart(args.cart, args.supply, args.roundOff);
  if (args.paid_paise > priced.total_paise) {
    throw new MoneyError('Paid is more than the total: enter the amount kept, and give the change back.');
  }
  const status = args.paid_paise === priced.total_paise ? 'invoiced' : 'incomplete';
  const sale = await create(await newDoc('sale', {customer_phone: args.phone, supply: args.supply,
    ...priced, paid_paise: args.paid_paise, status}));
  const invoice = status === 'invoiced' ? await invoiceOf(sale, args.series) : null;
  return {sale, invoice};
}

async function invoiceOf(sale: Doc, series: string): Promise<Doc> {
  const uuid = sale._id.split(':')[1];
  const issuedAt = now();
  return issueInvoice(await newDoc('invoice', {sale_id: sale._id, number: '', customer_phone:
    sale.customer_phone, supply: sale.supply, lines: sale.lines, round_off_paise: sale.round_off_paise,
    total_paise: sale.total_paise, paid_paise: sale.total_paise, issued_at: issuedAt},
  `invoice:${uuid}`), series);
}

/** total − paid at checkout − later payments. */
export function due(sale: Doc, payments: Doc[]): number {
  return sale.total_paise - sale.paid_paise - payments.reduce((s, p) => s + p.amount_paise, 0);
}

export async function paymentsOf(saleId: string): Promise<Doc[]> {
  return (await allOf('payment')).filter((p) => p.sale_id === saleId);
}

/** Record a later payment; the one that covers the total issues the invoice. */
export async function addPayment(saleId: string, amountPaise: number, method: string,
  series: string): Promise<Checkout> {
  let sale = await getDoc(saleId);
  if (!sale) {
    throw new MoneyError('This sale is not on this phone.');
  }
  if (sale.status === 'invoiced') {
    throw new MoneyError('This sale is fully paid and invoiced already.');
  }
  const owed = due(sale, await paymentsOf(saleId));
  if (amountPaise <= 0) {
    throw new MoneyError('Enter an amount above ₹0.');
  }
  if (amountPaise > owed) {
    throw new MoneyError(`That is more than is due: only ${rupees(owed)} is due.`);
  }
  const payment = await newDoc('payment', {sale_id: saleId, amount_paise: amountPaise, method});
  await create({...payment, paid_at: payment.created_at});
  let invoice = null;
  if (amountPaise === owed) {
    invoice = await invoiceOf(sale, series);
    sale = await update(sale, {status: 'invoiced'});
  }
  return {sale, invoice};
}

export interface Purchase {
  sale: Doc;
  invoice: Doc | null;
  due_paise: number;
}

/** Every sale of one phone number, newest first, from local data. */
export async function history(phone: string): Promise<Purchase[]> {
  const sales = (await allOf('sale')).filter((s) => s.customer_phone === phone);
  return withDues(sales);
}

async function withDues(sales: Doc[]): Promise<Purchase[]> {
  const payments = await allOf('payment');
  const invoices = new Map((await allOf('invoice')).map((i) => [i.sale_id, i]));
  return sales.sort((a, b) => b.created_at.localeCompare(a.created_at)).map((sale) => ({
    sale, invoice: invoices.get(sale._id) ?? null,
    due_paise: due(sale, payments.filter((p) => p.sale_id === sale._id)),
  }));
}

/** Incomplete sales with money still due, newest first. */
export async function incompleteSales(): Promise<Purchase[]> {
  const open = (await allOf('sale')).filter((s) => s.status === 'incomplete');
  return (await withDues(open)).filter((p) => p.due_paise > 0);
}

/** The day (India time) of an instant, "2026-11-25". */
export function shopDay(stamp: string | Date): string {
  return new Intl.DateTimeFormat('en-CA', {timeZone: 'Asia/Kolkata'}).format(new Date(stamp));
}

export interface Takings {
  invoices: number;
  invoiced_paise: number;
  incomplete: number;
  collected_paise: number;
  due_paise: number;
}

/** Today's figures: money collected (at checkout and later payments), invoices, what is owed. */
export async function takings(day = shopDay(new Date())): Promise<Takings> {
  const sales = (await allOf('sale')).filter((s) => shopDay(s.created_at) === day);
  const invoices = (await allOf('invoice')).filter((i) => shopDay(i.issued_at) === day);
  const payments = (await allOf('payment')).filter((p) => shopDay(p.paid_at) === day);
  const todayOpen = await withDues(sales.filter((s) => s.status === 'incomplete'));
  return {
    invoices: invoices.length,
    invoiced_paise: invoices.reduce((s, i) => s + i.total_paise, 0),
    incomplete: todayOpen.filter((p) => p.due_paise > 0).length,
    collected_paise: sales.reduce((s, x) => s + x.paid_paise, 0)
      + payments.reduce((s, p) => s + p.amount_paise, 0),
    due_paise: todayOpen.reduce((s, p) => s + p.due_paise, 0),
  };
}
