/**
 * The bill of a sale not yet paid in full, for the customer who owes to take home: its lines and
 * totals with what was paid and what is due, on the printable page (print-frame.ts), and a
 * pay-by-UPI QR for exactly the amount due when the shop has a UPI ID. It is not a tax invoice and
 * has no number: the invoice is issued when the last payment comes in (shop.ts `addPayment`). The
 * shop's details are today's (the page falls back to the business doc), as the bill is made now.
 */
import {type Doc, getDoc} from '../db';
import {zoneOf} from '../figures';
import {fill, formatWhen, t} from '../i18n';
import {app} from '../state';
import {payeeOf, upiQr} from '../upi';
import {button, mount} from './dom';
import {printFrame} from './print-frame';
import {upiHint} from './upi-pay';

/** Show `sale`'s bill with `duePaise` still owed; `back` returns to where the owner came from. */
export async function showDueBill(sale: Doc, duePaise: number, back: () => void): Promise<void> {
  const business = app.business ?? await getDoc('business');
  const customer = await getDoc(`customer:${sale.customer_phone}`);
  const payee = payeeOf(business);
  const note = fill(t.upiPay.dueNote, {date: formatWhen(sale.created_at, zoneOf(business))});
  const {frame, controls} = printFrame({
    invoice: {...sale, number: '', issued_at: sale.created_at},
    business: business ?? {},
    customer: customer?.name ? {name: customer.name} : null,
    labels: t.print,
    due: {paid_paise: sale.total_paise - duePaise, due_paise: duePaise,
      upi: payee ? {vpa: payee.vpa, qr: upiQr(payee, duePaise, note).image} : null},
  });
  mount(t.print.dueBill, payee ? null : upiHint(), controls,
    button(t.back, back, {class: 'link', 'data-testid': 'due-bill-back'}), frame);
}
