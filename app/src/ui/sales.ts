/**
 * Dues (incomplete sales, later payments: by UPI with the shop's QR for what is due, and the bill
 * of dues to print, due-bill.ts), the day's takings, a customer's history by phone; credit
 * notes that reached this phone by sync are netted out (src/figures.ts).
 */
import {normalisePhone} from '../api';
import {allOf, type Doc, getDoc} from '../db';
import {parseRupees, rupees} from '../money';
import {shopDay, summarize, zoneOf} from '../figures';
import {formatWhen, t} from '../i18n';
import {addPayment, customerNames, customers, history, incompleteSales, type Purchase, takings,
  takingsByMethod} from '../shop';
import {app} from '../state';
import {localChanged} from '../sync';
import {payeeOf} from '../upi';
import {button, field, h, input, message, mount, screenMark, select} from './dom';
import {showDueBill} from './due-bill';
import {showInvoice} from './invoice';
import {payWithQr} from './upi-pay';

function when(stamp: string): string {
  return formatWhen(stamp, zoneOf(app.business));
}

/** The customer's name when known, else the number as the owner types it (no +91). */
export function who(phone: string, names: Map<string, string>): string {
  return names.get(phone) ?? phone.replace(/^\+91/, '');
}

function purchaseRow(p: Purchase, names: Map<string, string> = new Map()): HTMLElement {
  const label = p.invoice ? t.sales.invoiceNo(p.invoice.number) : t.sales.notPaidDue(rupees(p.due_paise));
  const id = p.sale._id;
  return h('button', {type: 'button', class: 'item-row', 'data-testid': `sale-${id}`,
    onClick: () => (p.invoice ? showInvoice(p.invoice) : paymentScreen(id))},
  h('span', {'data-testid': `who-${id}`}, `${when(p.sale.created_at)} · ${who(p.sale.customer_phone, names)}`),
  h('span', {}, `${rupees(p.sale.total_paise)} — ${label}`),
  p.credited_paise ? h('span', {class: 'credited', 'data-testid': `credited-${id}`},
    t.sales.credited(p.credit_notes.length, p.credit_notes.map((n) => n.number).join(', '), rupees(p.credited_paise),
      rupees(p.net_paise))) : null);
}

export async function duesScreen(): Promise<void> {
  const open = await incompleteSales();
  const names = await customerNames();
  mount(t.sales.duesTitle, open.length
    ? h('div', {class: 'list', 'data-testid': 'dues'}, ...open.map((p) => purchaseRow(p, names)))
    : h('p', {class: 'note', 'data-testid': 'no-dues'}, t.sales.noDues));
}

export async function paymentScreen(saleId: string, note = ''): Promise<void> {
  const sale = await getDoc(saleId);
  if (!sale) {
    return duesScreen();
  }
  const [p] = (await incompleteSales()).filter((x) => x.sale._id === saleId);
  const owed = p?.due_paise ?? 0;
  const names = await customerNames();
  const amount = input('payment_amount', {inputmode: 'decimal'});
  const method = select('method', [['cash', t.cash], ['upi', t.upi], ['card', t.card], ['other', t.other]]);
  const msg = message();
  const pay = async (full?: string) => {
    const here = screenMark();
    if (full) {
      amount.value = String(owed / 100);
      method.value = full;
    }
    const paise = full ? owed : parseRupees(amount.value);
    if (paise === null || paise === 0) {
      return msg.show(t.sales.errAmount);
    }
    try {
      const result = await addPayment(saleId, paise, method.value, app.session!.invoice_series);
      await localChanged();
      if (!here()) {
        return;
      }
      if (result.invoice) {
        await showInvoice(result.invoice);
      } else {
        await paymentScreen(saleId, t.sales.recorded(rupees(paise)));
      }
    } catch (err) {
      msg.show(err instanceof Error ? err.message : String(err));
    }
  };
  // paid in full by UPI: the shop's QR for what is due first, when it has a UPI ID
  const payee = payeeOf(app.business);
  const upiStep = h('div', {});
  const payFull = (m: 'cash' | 'upi' | 'card') => payWithQr(payee, m, owed, () => void pay(m),
    (step) => upiStep.replaceChildren(step), () => upiStep.replaceChildren());
  mount(t.sales.paymentTitle, h('p', {'data-testid': 'due'},
    t.sales.dueLine(who(sale.customer_phone, names), rupees(sale.total_paise), rupees(owed))),
  owed > 0 ? h('p', {class: 'sheet-title'}, t.payInFull(rupees(owed))) : null,
  owed > 0 ? h('div', {class: 'methods'}, ...(['cash', 'upi', 'card'] as const).map((m) => button(t[m], () => payFull(m),
    {class: 'primary method', 'data-testid': `pay-full-${m}`}))) : null,
  upiStep,
  owed > 0 ? button(t.upiPay.printDue, () => void showDueBill(sale, owed, () => void paymentScreen(saleId)),
    {'data-testid': 'print-due-bill'}) : null,
  h('p', {class: 'note'}, t.orPartPayment),
  field(t.sales.amountReceived, amount), field(t.paidBy, method), msg,
  button(t.sales.recordPayment, () => void pay(), {class: 'primary', 'data-testid': 'record-payment'}));
  msg.show(note, 'ok');
}

/** A day's figures (today unless the owner picks another day), credit notes of that day netted out. */
export async function todayScreen(day?: string): Promise<void> {
  const tk = await takings(day);
  const methods = await takingsByMethod(day);
  const audits = (await allOf('audit')).sort((a, b) => b.created_at.localeCompare(a.created_at));
  const picker = input('takings_day', {type: 'date', value: day ?? shopDay(new Date(), zoneOf(app.business))});
  picker.addEventListener('change', () => {
    if (/^\d{4}-\d{2}-\d{2}$/.test(picker.value)) {
      void todayScreen(picker.value);
    }
  });
  const S = t.sales;
  mount(day ? S.takingsOf(day) : S.todayTitle, field(S.day, picker),
    h('dl', {class: 'figures', 'data-testid': 'takings'},
      h('dt', {}, S.moneyReceived), h('dd', {'data-testid': 'collected'}, rupees(tk.collected_paise)),
      h('dt', {}, S.creditNotesIssued), h('dd', {'data-testid': 'credit-notes'},
        `${tk.credit_notes} (${tk.credited_paise ? '−' : ''}${rupees(tk.credited_paise)})`),
      h('dt', {}, S.receivedNet), h('dd', {'data-testid': 'net-collected'},
        rupees(tk.net_collected_paise)),
      h('dt', {}, S.invoicesIssued), h('dd', {'data-testid': 'invoices'}, `${tk.invoices} (${rupees(tk.invoiced_paise)})`),
      h('dt', {}, S.salesNet), h('dd', {'data-testid': 'net-sales'}, rupees(tk.net_sales_paise)),
      h('dt', {}, S.notPaidFull), h('dd', {'data-testid': 'incomplete'}, S.countDue(tk.incomplete, rupees(tk.due_paise)))),
  h('section', {class: 'by-method', 'data-testid': 'by-method'}, h('h2', {}, t.byMethod),
    h('dl', {class: 'figures'}, ...(['cash', 'upi', 'card', 'other'] as const).flatMap((m) => [h('dt', {}, t[m]),
      h('dd', {'data-testid': `method-${m}`}, rupees(methods[m]))]),
    ...(methods.unknown ? [h('dt', {}, t.notRecorded), h('dd', {'data-testid': 'method-unknown'}, rupees(methods.unknown))] : []))),
  audits.length ? h('section', {'data-testid': 'audit-notices'}, h('h2', {}, S.serverChecks),
    ...audits.slice(0, 20).map((a: Doc) => h('p', {class: `notice ${a.severity === 'info' ? 'ok' : ''}`}, a.message))) : null);
}

export async function customersScreen(): Promise<void> {
  const rows = await customers();
  const names = await customerNames();
  const phone = input('history_phone', {type: 'tel', inputmode: 'tel', placeholder: t.customerMobile});
  const list = h('div', {class: 'list', 'data-testid': 'history'});
  const msg = message();
  const look = async (e164: string | null) => {
    if (!e164) {
      return msg.show(t.sales.errMobile);
    }
    msg.show('');
    const purchases = await history(e164);
    const sum = summarize(purchases);
    const credited = sum.invoices.credited ? rupees(sum.invoices.credited) : null;
    list.replaceChildren(h('h2', {'data-testid': 'history-of'}, t.historyOf(who(e164, names))),
      h('p', {'data-testid': 'history-summary'}, purchases.length
        ? t.sales.summary(sum.purchases, rupees(sum.net_paise), credited) : t.sales.noPurchases),
    ...(sum.invoices.count ? [h('p', {'data-testid': 'history-invoices'}, t.sales.invoices(sum.invoices.count,
      rupees(sum.invoices.total), rupees(sum.invoices.credited), rupees(sum.invoices.net)))] : []),
    ...purchases.map((p) => purchaseRow(p, names)));
    list.scrollIntoView?.({block: 'start'});
  };
  const table = rows.length ? h('div', {class: 'list', 'data-testid': 'customer-list'}, ...rows.map((c) =>
    h('button', {type: 'button', class: 'item-row customer', 'data-testid': `customer-${c.phone.replace(/^\+/, '')}`,
      onClick: () => void look(c.phone)},
    h('span', {}, h('strong', {}, who(c.phone, names)), c.name ? h('small', {}, ` ${c.phone.replace(/^\+91/, '')}`) : '',
      h('br', {}), h('small', {}, t.purchases(c.purchases))),
    h('span', {class: c.due_paise ? 'owes' : 'paid-up', 'data-testid': `owes-${c.phone.replace(/^\+/, '')}`},
      c.due_paise ? t.owes(rupees(c.due_paise)) : t.owesNothing))))
    : h('p', {class: 'note', 'data-testid': 'no-customers'}, t.customersNone);
  mount(t.customers, table,
    h('section', {class: 'lookup'}, h('h2', {}, t.lookUpNumber), field(t.customerMobile, phone),
      button(t.showPurchases, () => void look(normalisePhone(phone.value)), {class: 'primary', 'data-testid': 'show-history'})),
    msg, list);
}
