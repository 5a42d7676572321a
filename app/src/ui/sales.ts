/**
 * Dues (incomplete sales, later payments), the day's takings, a customer's history by phone; credit
 * notes that reached this phone by sync are netted out (src/figures.ts).
 */
import {normalisePhone} from '../api';
import {allOf, type Doc, getDoc} from '../db';
import {parseRupees, rupees} from '../money';
import {shopDay, summarize, zoneOf} from '../figures';
import {t} from '../i18n/en';
import {addPayment, customerNames, customers, history, incompleteSales, type Purchase, takings,
  takingsByMethod} from '../shop';
import {app} from '../state';
import {localChanged} from '../sync';
import {button, field, h, input, message, mount, screenMark, select} from './dom';
import {showInvoice} from './invoice';

function when(stamp: string): string {
  return new Date(stamp).toLocaleString('en-IN', {timeZone: zoneOf(app.business), day: '2-digit', month: 'short',
    hour: '2-digit', minute: '2-digit'});
}

/** The customer's name when known, else the number as the owner types it (no +91). */
export function who(phone: string, names: Map<string, string>): string {
  return names.get(phone) ?? phone.replace(/^\+91/, '');
}

function purchaseRow(p: Purchase, names: Map<string, string> = new Map()): HTMLElement {
  const label = p.invoice ? `Invoice ${p.invoice.number}` : `Not paid in full: ${rupees(p.due_paise)} due`;
  const id = p.sale._id;
  return h('button', {type: 'button', class: 'item-row', 'data-testid': `sale-${id}`,
    onClick: () => (p.invoice ? showInvoice(p.invoice) : paymentScreen(id))},
  h('span', {'data-testid': `who-${id}`}, `${when(p.sale.created_at)} · ${who(p.sale.customer_phone, names)}`),
  h('span', {}, `${rupees(p.sale.total_paise)} — ${label}`),
  p.credited_paise ? h('span', {class: 'credited', 'data-testid': `credited-${id}`},
    `Credit note${p.credit_notes.length === 1 ? '' : 's'} ${p.credit_notes.map((n) => n.number).join(', ')}: `
    + `${rupees(p.credited_paise)} credited, ${rupees(p.net_paise)} net`) : null);
}

export async function duesScreen(): Promise<void> {
  const open = await incompleteSales();
  const names = await customerNames();
  mount('Dues (incomplete sales)', open.length
    ? h('div', {class: 'list', 'data-testid': 'dues'}, ...open.map((p) => purchaseRow(p, names)))
    : h('p', {class: 'note', 'data-testid': 'no-dues'}, 'Nothing is due: every sale is paid in full.'));
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
      return msg.show('Enter the amount received, like 100 or 99.50.');
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
        await paymentScreen(saleId, `Payment of ${rupees(paise)} recorded.`);
      }
    } catch (err) {
      msg.show(err instanceof Error ? err.message : String(err));
    }
  };
  mount('Record a payment', h('p', {'data-testid': 'due'},
    `${who(sale.customer_phone, names)}: total ${rupees(sale.total_paise)}, ${rupees(owed)} due.`),
  owed > 0 ? h('p', {class: 'sheet-title'}, t.payInFull(rupees(owed))) : null,
  owed > 0 ? h('div', {class: 'methods'}, ...(['cash', 'upi', 'card'] as const).map((m) => button(t[m], () => void pay(m),
    {class: 'primary method', 'data-testid': `pay-full-${m}`}))) : null,
  h('p', {class: 'note'}, t.orPartPayment),
  field('Amount received (₹)', amount), field('Paid by', method), msg,
  button('Record payment', () => void pay(), {class: 'primary', 'data-testid': 'record-payment'}));
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
  mount(day ? `Takings of ${day}` : "Today's takings", field('Day', picker),
    h('dl', {class: 'figures', 'data-testid': 'takings'},
      h('dt', {}, 'Money received'), h('dd', {'data-testid': 'collected'}, rupees(tk.collected_paise)),
      h('dt', {}, 'Credit notes issued'), h('dd', {'data-testid': 'credit-notes'},
        `${tk.credit_notes} (${tk.credited_paise ? '−' : ''}${rupees(tk.credited_paise)})`),
      h('dt', {}, 'Received, less credit notes'), h('dd', {'data-testid': 'net-collected'},
        rupees(tk.net_collected_paise)),
      h('dt', {}, 'Invoices issued'), h('dd', {'data-testid': 'invoices'}, `${tk.invoices} (${rupees(tk.invoiced_paise)})`),
      h('dt', {}, 'Sales, less credit notes'), h('dd', {'data-testid': 'net-sales'}, rupees(tk.net_sales_paise)),
      h('dt', {}, 'Sales not paid in full'), h('dd', {'data-testid': 'incomplete'}, `${tk.incomplete} (${rupees(tk.due_paise)} due)`)),
  h('section', {class: 'by-method', 'data-testid': 'by-method'}, h('h2', {}, t.byMethod),
    h('dl', {class: 'figures'}, ...(['cash', 'upi', 'card', 'other'] as const).flatMap((m) => [h('dt', {}, t[m]),
      h('dd', {'data-testid': `method-${m}`}, rupees(methods[m]))]),
    ...(methods.unknown ? [h('dt', {}, t.notRecorded), h('dd', {'data-testid': 'method-unknown'}, rupees(methods.unknown))] : []))),
  audits.length ? h('section', {'data-testid': 'audit-notices'}, h('h2', {}, 'Notices from the server check'),
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
      return msg.show('Enter a 10-digit mobile number.');
    }
    msg.show('');
    const purchases = await history(e164);
    const sum = summarize(purchases);
    const credited = sum.invoices.credited ? ` (after ${rupees(sum.invoices.credited)} of credit notes)` : '';
    list.replaceChildren(h('h2', {'data-testid': 'history-of'}, t.historyOf(who(e164, names))),
      h('p', {'data-testid': 'history-summary'}, purchases.length
        ? `${sum.purchases} purchase${sum.purchases === 1 ? '' : 's'}, ${rupees(sum.net_paise)} in all${credited}.`
        : 'No purchases from this number on this phone.'),
    ...(sum.invoices.count ? [h('p', {'data-testid': 'history-invoices'}, `Invoices: ${sum.invoices.count}, `
      + `${rupees(sum.invoices.total)} billed, ${rupees(sum.invoices.credited)} credited, ${rupees(sum.invoices.net)} net.`)] : []),
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
    h('section', {class: 'lookup'}, h('h2', {}, t.lookUpNumber), field('Customer mobile', phone),
      button(t.showPurchases, () => void look(normalisePhone(phone.value)), {class: 'primary', 'data-testid': 'show-history'})),
    msg, list);
}
