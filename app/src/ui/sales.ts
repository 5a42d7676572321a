/**
 * Dues (incomplete sales, later payments), the day's takings, a customer's history by phone; credit
 * notes that reached this phone by sync are netted out (src/figures.ts).
 */
import {normalisePhone} from '../api';
import {allOf, type Doc, getDoc} from '../db';
import {parseRupees, rupees} from '../money';
import {shopDay, summarize, zoneOf} from '../figures';
import {addPayment, history, incompleteSales, type Purchase, takings} from '../shop';
import {app} from '../state';
import {localChanged} from '../sync';
import {button, field, h, input, message, mount, screenMark, select} from './dom';
import {showInvoice} from './invoice';

function when(stamp: string): string {
  return new Date(stamp).toLocaleString('en-IN', {timeZone: zoneOf(app.business), day: '2-digit', month: 'short',
    hour: '2-digit', minute: '2-digit'});
}

function purchaseRow(p: Purchase): HTMLElement {
  const label = p.invoice ? `Invoice ${p.invoice.number}` : `Not paid in full: ${rupees(p.due_paise)} due`;
  const id = p.sale._id;
  return h('button', {type: 'button', class: 'item-row', 'data-testid': `sale-${id}`,
    onClick: () => (p.invoice ? showInvoice(p.invoice) : paymentScreen(id))},
  h('span', {}, `${when(p.sale.created_at)} · ${p.sale.customer_phone}`),
  h('span', {}, `${rupees(p.sale.total_paise)} — ${label}`),
  p.credited_paise ? h('span', {class: 'credited', 'data-testid': `credited-${id}`},
    `Credit note${p.credit_notes.length === 1 ? '' : 's'} ${p.credit_notes.map((n) => n.number).join(', ')}: `
    + `${rupees(p.credited_paise)} credited, ${rupees(p.net_paise)} net`) : null);
}

export async function duesScreen(): Promise<void> {
  const open = await incompleteSales();
  mount('Dues (incomplete sales)', open.length
    ? h('div', {class: 'list', 'data-testid': 'dues'}, ...open.map(purchaseRow))
    : h('p', {class: 'note', 'data-testid': 'no-dues'}, 'Nothing is due: every sale is paid in full.'));
}

export async function paymentScreen(saleId: string, note = ''): Promise<void> {
  const sale = await getDoc(saleId);
  if (!sale) {
    return duesScreen();
  }
  const [p] = (await incompleteSales()).filter((x) => x.sale._id === saleId);
  const owed = p?.due_paise ?? 0;
  const amount = input('payment_amount', {inputmode: 'decimal', placeholder: String(owed / 100)});
  const method = select('method', [['cash', 'Cash'], ['upi', 'UPI'], ['card', 'Card'], ['other', 'Other']]);
  const msg = message();
  const pay = async () => {
    const here = screenMark();
    const paise = parseRupees(amount.value);
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
    `${sale.customer_phone}: total ${rupees(sale.total_paise)}, ${rupees(owed)} due.`),
  field('Amount received (₹)', amount), field('Paid by', method), msg,
  button('Record payment', pay, {class: 'primary', 'data-testid': 'record-payment'}));
  msg.show(note, 'ok');
}

/** A day's figures (today unless the owner picks another day), credit notes of that day netted out. */
export async function todayScreen(day?: string): Promise<void> {
  const t = await takings(day);
  const audits = (await allOf('audit')).sort((a, b) => b.created_at.localeCompare(a.created_at));
  const picker = input('takings_day', {type: 'date', value: day ?? shopDay(new Date(), zoneOf(app.business))});
  picker.addEventListener('change', () => {
    if (/^\d{4}-\d{2}-\d{2}$/.test(picker.value)) {
      void todayScreen(picker.value);
    }
  });
  mount(day ? `Takings of ${day}` : "Today's takings", field('Day', picker),
    h('dl', {class: 'figures', 'data-testid': 'takings'},
      h('dt', {}, 'Money received'), h('dd', {'data-testid': 'collected'}, rupees(t.collected_paise)),
      h('dt', {}, 'Credit notes issued'), h('dd', {'data-testid': 'credit-notes'},
        `${t.credit_notes} (${t.credited_paise ? '−' : ''}${rupees(t.credited_paise)})`),
      h('dt', {}, 'Received, less credit notes'), h('dd', {'data-testid': 'net-collected'},
        rupees(t.net_collected_paise)),
      h('dt', {}, 'Invoices issued'), h('dd', {'data-testid': 'invoices'}, `${t.invoices} (${rupees(t.invoiced_paise)})`),
      h('dt', {}, 'Sales, less credit notes'), h('dd', {'data-testid': 'net-sales'}, rupees(t.net_sales_paise)),
      h('dt', {}, 'Sales not paid in full'), h('dd', {'data-testid': 'incomplete'}, `${t.incomplete} (${rupees(t.due_paise)} due)`)),
  audits.length ? h('section', {'data-testid': 'audit-notices'}, h('h2', {}, 'Notices from the server check'),
    ...audits.slice(0, 20).map((a: Doc) => h('p', {class: `notice ${a.severity === 'info' ? 'ok' : ''}`}, a.message))) : null);
}

export function customersScreen(): void {
  const phone = input('history_phone', {type: 'tel', inputmode: 'tel', placeholder: 'Customer mobile'});
  const list = h('div', {class: 'list', 'data-testid': 'history'});
  const msg = message();
  const look = async () => {
    const e164 = normalisePhone(phone.value);
    if (!e164) {
      return msg.show('Enter a 10-digit mobile number.');
    }
    msg.show('');
    const purchases = await history(e164);
    const sum = summarize(purchases);
    const credited = sum.invoices.credited ? ` (after ${rupees(sum.invoices.credited)} of credit notes)` : '';
    list.replaceChildren(h('p', {'data-testid': 'history-summary'}, purchases.length
      ? `${sum.purchases} purchase${sum.purchases === 1 ? '' : 's'}, ${rupees(sum.net_paise)} in all${credited}.`
      : 'No purchases from this number on this phone.'),
    ...(sum.invoices.count ? [h('p', {'data-testid': 'history-invoices'}, `Invoices: ${sum.invoices.count}, `
      + `${rupees(sum.invoices.total)} billed, ${rupees(sum.invoices.credited)} credited, ${rupees(sum.invoices.net)} net.`)] : []),
    ...purchases.map(purchaseRow));
  };
  mount('Customer history', field('Customer mobile', phone), msg,
    button('Show purchases', look, {class: 'primary', 'data-testid': 'show-history'}), list);
}
