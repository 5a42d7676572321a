/**
 * Paid by UPI at the counter: the QR asking for the bill's amount, big enough for the customer's
 * phone to scan it from this screen, the amount and the payee under it (so the customer can check
 * both in their UPI app), and "Received" for the owner to tap once the money shows on their side.
 * The QR is made on the phone (src/upi.ts), so it works offline. A shop without a UPI ID gets a
 * line saying where to add one; its sales by UPI are recorded as before.
 */
import {fill, t} from '../i18n';
import {rupees} from '../money';
import {type Payee, upiQr} from '../upi';
import {button, h} from './dom';

/** The QR step of a sale paid by UPI: QR, amount, payee, then Received, and Back when `back` is
 * given (the payment sheet has its own). */
function upiQrStep(payee: Payee, paise: number, received: () => void, back?: () => void): HTMLElement {
  const U = t.upiPay;
  const amount = rupees(paise);
  const {image} = upiQr(payee, paise, U.counterNote);
  return h('div', {class: 'upi-step', 'data-testid': 'upi-step'},
    h('p', {class: 'note'}, U.scan),
    h('img', {class: 'upi-qr', src: image, alt: fill(U.qrLabel, {amount}), 'data-testid': 'upi-qr'}),
    h('p', {class: 'upi-amount', 'data-testid': 'upi-amount'}, amount),
    h('p', {class: 'upi-payee', 'data-testid': 'upi-payee'}, fill(U.payee, {name: payee.name, vpa: payee.vpa})),
    button(fill(U.received, {amount}), received, {class: 'primary', 'data-testid': 'upi-received'}),
    back ? button(t.back, back, {class: 'link', 'data-testid': 'upi-back'}) : null);
}

/** Take a payment of `paise` by `method`: by UPI, when the shop has a UPI ID (`payee`), first
 * `show` the QR step, which takes it on Received (Back with `back`); otherwise take it at once. */
export function payWithQr(payee: Payee | null, method: string, paise: number, take: () => void,
  show: (step: HTMLElement) => void, back?: () => void): void {
  if (method !== 'upi' || !payee || paise <= 0) {
    take();
    return;
  }
  show(upiQrStep(payee, paise, take, back));
}

/** The payment sheet's line for a shop without a UPI ID. */
export function upiHint(): HTMLElement {
  return h('p', {class: 'note', 'data-testid': 'upi-hint'}, t.upiPay.noUpiId);
}
