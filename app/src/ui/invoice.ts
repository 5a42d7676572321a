/**
 * An issued invoice, shown with the printable page of the REST API (app/print/, copied into the
 * build as print/index.html + print/invoice.js) and rendered from local data, offline. Print uses
 * the browser's print dialog; Share hands the page to the phone's share sheet as an HTML file.
 * The invoice is shown as issued, always; its credit notes (synced from the server) are listed
 * above it with what they take off.
 */
import {type Doc, getDoc} from '../db';
import {zoneOf} from '../figures';
import {formatQty, rupees} from '../money';
import {creditsOfInvoice} from '../shop';
import {app, go} from '../state';
import {button, h, mount} from './dom';

const PHONE_FIT = '#invoice{overflow-x:auto} table.lines{font-size:11px}';

function when(stamp: string): string {
  return new Date(stamp).toLocaleString('en-IN', {timeZone: zoneOf(app.business), day: '2-digit',
    month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit'});
}

/** The invoice's credit notes (numbers, dates, items, amounts) and its net amount; null if none. */
async function creditNotesOf(invoice: Doc): Promise<HTMLElement | null> {
  const credits = await creditsOfInvoice(invoice);
  if (!credits.notes.length) {
    return null;
  }
  const items = (note: Doc) => (note.lines ?? []).map((l: Doc) => {
    const line = invoice.lines[l.line_index];
    return line ? `${line.name} × ${formatQty(l.qty_milli)}` : `line ${l.line_index + 1}`;
  }).join(', ');
  return h('section', {class: 'credit-notes', 'data-testid': 'credit-notes'},
    h('h2', {}, `Credit note${credits.notes.length === 1 ? '' : 's'} against this invoice`),
    ...credits.notes.map((note) => h('p', {'data-testid': 'credit-note'},
      `${note.number} · ${when(note.issued_at)} · ${rupees(note.total_paise)} — ${items(note)}. ${note.reason}`)),
    h('p', {'data-testid': 'invoice-net'}, `Invoice ${rupees(invoice.total_paise)} − credited `
      + `${rupees(credits.credited_paise)} = net ${rupees(credits.net_paise)}. The invoice itself stays as issued.`));
}

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
  await creditNotesOf(invoice),
  h('div', {class: 'row'}, button('Print', () => (frame.contentWindow as any).print()),
    button('Share', share), button('New bill', () => go('bill'), {class: 'primary'})),
  frame);
}
