/**
 * The shop's rules on the phone: checkout (paid == total issues the invoice, less stores an
 * incomplete sale), later payments, and the figures read from local data (history, takings, dues;
 * src/figures.ts computes them, credit notes netted out).
 */
import {allOf, create, type Doc, getDoc, issueInvoice, newDoc, now, update} from './db';
import {byMethodOn, creditsOf, type Credits, customerRows, type CustomerRow, due, type LocalDocs, type Method, type Purchase, purchasesOf, shopDay, type Takings,
  takingsOn, zoneOf} from './figures';
import {t} from './i18n';
import {MoneyError, rupees, saleMoney, type Supply} from './money';

export {due, shopDay, type CustomerRow, type Method, type Purchase, type Takings} from './figures';

export interface CartLine {
  item: Doc;
  qty_milli: number;
  discount_paise: number;
  /** A percentage discount in basis points (10000 = 100 %); when set, it gives discount_paise. */
  discount_bp?: number | null;
}

/** A sale's optional B2B details, copied onto its invoice (validators/schemas.py `buyer_fields`). */
export const BUYER_FIELDS = ['buyer_gstin', 'buyer_name', 'buyer_address', 'place_of_supply'];
/** The shop's details frozen on each invoice as issued (validators/schemas.py `shop_fields`). */
const SELLER_FIELDS = ['name', 'address', 'phone', 'gstin', 'state_code', 'upi_id'];

/** `{seller}` for an invoice issued now, from the shop's business doc (empty without one). */
function sellerOf(business: Doc | null): Record<string, unknown> {
  if (!business?.name) {
    return {};
  }
  return {seller: Object.fromEntries(SELLER_FIELDS.filter((k) => k in business).map((k) => [k, business[k]]))};
}

/** A whole-bill discount: rupees (paise) or a percentage (basis points). */
export interface BillDiscount {
  paise?: number;
  bp?: number | null;
}

export type PayMethod = 'cash' | 'upi' | 'card' | 'other';

export const FRACTIONAL_UNITS = ['kg', 'g', 'l', 'ml', 'm', 'cm', 'ft', 'sqft'];

/** The sale lines with their money (golden rules); throws MoneyError for a bad discount. */
export function priceCart(cart: CartLine[], supply: Supply, roundOffEnabled: boolean, bill: BillDiscount = {}) {
  const money = saleMoney(cart.map((l) => ({qty_milli: l.qty_milli,
    unit_price_paise: l.item.unit_price_paise, gst_rate_bp: l.item.gst_rate_bp,
    price_includes_gst: l.item.price_includes_gst, discount_paise: l.discount_paise,
    discount_bp: l.discount_bp ?? null})),
  supply, roundOffEnabled, bill.paise ?? 0, bill.bp ?? null);
  const lines = cart.map((l, i) => {
    const {bill_discount_paise: share, ...m} = money.lines[i];
    const line: Record<string, unknown> = {item_id: l.item._id, name: l.item.name, unit: l.item.unit,
      unit_price_paise: l.item.unit_price_paise, price_includes_gst: l.item.price_includes_gst,
      gst_rate_bp: l.item.gst_rate_bp, qty_milli: l.qty_milli, ...m};
    if (l.discount_bp !== undefined && l.discount_bp !== null) {
      line.discount_bp = l.discount_bp;
    }
    if (share) {
      line.bill_discount_paise = share;
    }
    if (l.item.hsn) {
      line.hsn = l.item.hsn;
    }
    return line;
  });
  const discount: Record<string, number> = {};
  if (money.bill_discount_paise) {
    discount.bill_discount_paise = money.bill_discount_paise;
    if (bill.bp !== undefined && bill.bp !== null) {
      discount.bill_discount_bp = bill.bp;
    }
  }
  return {lines, ...discount, round_off_paise: money.round_off_paise, total_paise: money.total_paise};
}

export interface Checkout {
  sale: Doc;
  invoice: Doc | null;
}

/** Store the sale; when paid == total, issue its invoice from this device's series. */
export async function checkout(args: {phone: string; cart: CartLine[]; paid_paise: number;
  supply: Supply; roundOff: boolean; series: string; buyer?: Record<string, string>; bill?: BillDiscount;
  method?: PayMethod}): Promise<Checkout> {
  if (!args.cart.length) {
    throw new MoneyError(t.errEmpty);
  }
  const priced = priceCart(args.cart, args.supply, args.roundOff, args.bill);
  if (priced.total_paise <= 0) {
    throw new MoneyError(t.errZeroTotal);
  }
  if (args.paid_paise > priced.total_paise) {
    throw new MoneyError(t.sales.paidTooMuch);
  }
  const status = args.paid_paise === priced.total_paise ? 'invoiced' : 'incomplete';
  const sale = await create(await newDoc('sale', {customer_phone: args.phone, supply: args.supply,
    ...priced, paid_paise: args.paid_paise, status, ...args.buyer,
    ...(args.paid_paise > 0 && args.method ? {paid_method: args.method} : {})}));
  const invoice = status === 'invoiced' ? await invoiceOf(sale, args.series) : null;
  return {sale, invoice};
}

async function invoiceOf(sale: Doc, series: string): Promise<Doc> {
  const uuid = sale._id.split(':')[1];
  const issuedAt = now();
  const business = await getDoc('business');
  return issueInvoice(await newDoc('invoice', {sale_id: sale._id, number: '', customer_phone:
    sale.customer_phone, supply: sale.supply, lines: sale.lines, round_off_paise: sale.round_off_paise,
    total_paise: sale.total_paise, paid_paise: sale.total_paise, issued_at: issuedAt,
    ...Object.fromEntries([...BUYER_FIELDS, 'bill_discount_paise', 'bill_discount_bp'].filter((k) => k in sale)
      .map((k) => [k, sale[k]])), ...sellerOf(business)},
  `invoice:${uuid}`), series, zoneOf(business));
}

export async function paymentsOf(saleId: string): Promise<Doc[]> {
  return (await allOf('payment')).filter((p) => p.sale_id === saleId);
}

/** Record a later payment; the one that covers the total issues the invoice. */
export async function addPayment(saleId: string, amountPaise: number, method: string,
  series: string): Promise<Checkout> {
  let sale = await getDoc(saleId);
  if (!sale) {
    throw new MoneyError(t.sales.saleMissing);
  }
  if (sale.status === 'invoiced') {
    throw new MoneyError(t.sales.saleSettled);
  }
  const owed = due(sale, await paymentsOf(saleId));
  if (amountPaise <= 0) {
    throw new MoneyError(t.sales.amountAboveZero);
  }
  if (amountPaise > owed) {
    throw new MoneyError(t.sales.moreThanDue(rupees(owed)));
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

/** Every local sale, invoice, payment and credit note. */
async function localDocs(): Promise<LocalDocs> {
  const [sales, invoices, payments, creditNotes] = await Promise.all(
    ['sale', 'invoice', 'payment', 'credit_note'].map(allOf));
  return {sales, invoices, payments, credit_notes: creditNotes};
}

/** Every sale of one phone number, newest first, net of credit notes, from local data. */
export async function history(phone: string): Promise<Purchase[]> {
  const docs = await localDocs();
  return purchasesOf({...docs, sales: docs.sales.filter((s) => s.customer_phone === phone)});
}

/** Incomplete sales with money still due, newest first. */
export async function incompleteSales(): Promise<Purchase[]> {
  const docs = await localDocs();
  return purchasesOf({...docs, sales: docs.sales.filter((s) => s.status === 'incomplete')})
    .filter((p) => p.due_paise > 0);
}

/** The credit notes of an invoice and what they take off it. */
export async function creditsOfInvoice(invoice: Doc): Promise<Credits> {
  return creditsOf(invoice, await allOf('credit_note'));
}

/** A day's figures (today by default) in the shop's time zone, credit notes netted out. */
export async function takings(day?: string): Promise<Takings> {
  const zone = zoneOf(await getDoc('business'));
  return takingsOn(await localDocs(), day ?? shopDay(new Date(), zone), zone);
}

/** Customers with a sale here, newest first, with their names and what they owe (local data). */
export async function customers(): Promise<CustomerRow[]> {
  return customerRows(await localDocs(), await allOf('customer'));
}

/** Names of known customers by phone (`customer:<phone>` docs). */
export async function customerNames(): Promise<Map<string, string>> {
  return new Map((await allOf('customer')).filter((c) => c.name).map((c) => [c._id.slice('customer:'.length), c.name]));
}

/** A day's money received by payment method (today by default). */
export async function takingsByMethod(day?: string): Promise<Record<Method, number>> {
  const zone = zoneOf(await getDoc('business'));
  return byMethodOn(await localDocs(), day ?? shopDay(new Date(), zone), zone);
}
