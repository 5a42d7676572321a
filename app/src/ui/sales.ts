/** Dues (incomplete sales, later payments), the day's takings, a customer's history by phone. */
import {normalisePhone} from '../api';
import {allOf, type Doc, getDoc} from '../db';
import {parseRupees, rupees} from '../money';
import {addPayment, history, incompleteSales, type Purchase, takings} from '../shop';
import {app} from '../state';
import {localChanged} from '../sync';
import {button, field, h, input, message, mount, screenMark, select} from './dom';
import {showInvoice} from './invoice';

function when(stamp: string): string {
  return new Date(stamp).toLocaleString('en-IN', {timeZone: 'Asia/Kolkata', day: '2-digit', month: 'short',
    hour: '2-digit', minute: '2-digit'});
}

function purchaseRow(p: Purchase): HTMLElement {
  const label = p.invoice ? `Invoice ${p.invoice.number}` : `Not paid in full: ${rupees(p.due_paise)} due`;
  return h('button', {type: 'button', class: 'item-row', 'data-testid': `sale-${p.sale._id}`,
    onClick: () => (p.invoice ? showInvoice(p.invoice) : paymentScreen(p.sale._id))},
  h('span', {}, `${when(p.sale.created_at)} · ${p.sale.customer_phone}`),
  h('span', {}, `${rupees(p.sale.total_paise)} — ${label}`));
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

export async function todayScreen(): Promise<void> {
  const t = await takings();
  const audits = (await allOf('audit')).sort((a, b) => b.created_at.localeCompare(a.created_at));
  mount("Today's takings", h('dl', {class: 'figures', 'data-testid': 'takings'},
    h('dt', {}, 'Money received'), h('dd', {'data-testid': 'collected'}, rupees(t.collected_paise)),
    h('dt', {}, 'Invoices issued'), h('dd', {'data-testid': 'invoices'}, `${t.invoices} (${rupees(t.invoiced_paise)})`),
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
    const spent = purchases.reduce((s, p) => s + p.sale.total_paise, 0);
    list.replaceChildren(h('p', {}, purchases.length
      ? `${purchases.length} purchase${purchases.length === 1 ? '' : 's'}, ${rupees(spent)} in all.`
      : 'No purchases from this number on this phone.'), ...purchases.map(purchaseRow));
  };
  mount('Customer history', field('Customer mobile', phone), msg,
    button('Show purchases', look, {class: 'primary', 'data-testid': 'show-history'}), list);
}
