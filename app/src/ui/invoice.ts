/**
 * An issued invoice, shown with the printable page of the REST API (app/print/, copied into the
 * build as print/index.html + print/invoice.js) and rendered from local data, offline. Print uses
 * the browser's print dialog; Share hands the page to the phone's share sheet as an HTML file.
 */
import {type Doc, getDoc} from '../db';
import {rupees} from '../money';
import {app, go} from '../state';
import {button, h, mount} from './dom';

const PHONE_FIT = '#invoice{overflow-x:auto} table.lines{font-size:11px}';

export async function showInvoice(invoice: Doc): Promise<void> {
  const customer = await getDoc(`customer:${invoice.customer_phone}`);
  const business = app.business ?? await getDoc('business');
  const data = {invoice, business: business ?? {}, customer: customer?.name ? {name: customer.name} : null};
  const frame = h('iframe', {src: 'print/index.html', class: 'invoice-frame', title: 'Invoice',
    'data-testid': 'invoice-frame'}) as HTMLIFrameElement;
  frame.addEventListener('load', () => {
    const win = frame.contentWindow as any;
    const style = win.document.createElement('style');
    style.textContent = PHONE_FIT;
    win.document.head.append(style);
    win.ShopbillPrint.render(data, win.document.getElementById('invoice'));
    frame.style.height = `${win.document.body.scrollHeight + 24}px`;
  });
  const text = `Invoice ${invoice.number} from ${business?.name ?? 'our shop'}: ${rupees(invoice.total_paise)} paid. Thank you!`;
  const share = async () => {
    const page = frame.contentDocument?.documentElement.outerHTML ?? '';
    const file = new File([`<!doctype html>${page}`], `invoice-${invoice.number.replace(/\//g, '-')}.html`,
      {type: 'text/html'});
    const payload: ShareData = navigator.canShare?.({files: [file]}) ? {title: text, text, files: [file]}
      : {title: `Invoice ${invoice.number}`, text};
    if (navigator.share) {
      await navigator.share(payload).catch(() => undefined); // the owner closed the share sheet
    } else {
      await navigator.clipboard?.writeText(text).catch(() => undefined);
    }
  };
  mount(`Invoice ${invoice.number}`, h('p', {class: 'notice ok', 'data-testid': 'invoice-issued'},
    `Paid in full: invoice ${invoice.number} issued for ${rupees(invoice.total_paise)}.`),
  h('div', {class: 'row'}, button('Print', () => (frame.contentWindow as any).print()),
    button('Share', share), button('New bill', () => go('bill'), {class: 'primary'})),
  frame);
}
