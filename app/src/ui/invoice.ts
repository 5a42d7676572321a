/**
 * An issued invoice, rendered from local data, offline, with Print and Share (printable.ts).
 * The invoice is shown as issued, always; its credit notes (made here or synced from the server)
 * are listed above it with what they take off, and items can be returned (returns.ts).
 */
import {type Doc, getDoc} from '../db';
import {zoneOf} from '../figures';
import {fill, formatWhen, t} from '../i18n';
import {formatQty, rupees} from '../money';
import {shareText} from '../share';
import {creditsOfInvoice} from '../shop';
import {app, go} from '../state';
import {button, h, mount} from './dom';
import {printable} from './printable';
import {returnsPanel} from './returns';

function when(stamp: string): string {
  return formatWhen(stamp, zoneOf(app.business), true);
}

/** The invoice's credit notes (numbers, dates, items, amounts) and its net amount; null if none. */
async function creditNotesOf(invoice: Doc): Promise<HTMLElement | null> {
  const credits = await creditsOfInvoice(invoice);
  if (!credits.notes.length) {
    return null;
  }
  const items = (note: Doc) => (note.lines ?? []).map((l: Doc) => {
    const line = invoice.lines[l.line_index];
    return line ? `${line.name} × ${formatQty(l.qty_milli)}` : t.invoice.line(l.line_index + 1);
  }).join(', ');
  return h('section', {class: 'credit-notes', 'data-testid': 'credit-notes'},
    h('h2', {}, t.invoice.creditNotes(credits.notes.length)),
    ...credits.notes.map((note) => h('p', {'data-testid': 'credit-note'},
      `${note.number} · ${when(note.issued_at)} · ${rupees(note.total_paise)} — ${items(note)}. ${note.reason}`)),
    h('p', {'data-testid': 'invoice-net'}, t.invoice.net(rupees(invoice.total_paise), rupees(credits.credited_paise),
      rupees(credits.net_paise))));
}

/** The PDF's file name stays ASCII in every language: share targets and file systems all take it. */
function fileName(invoice: Doc): string {
  return `invoice-${invoice.number.replace(/\//g, '-')}.pdf`;
}

export async function showInvoice(invoice: Doc): Promise<void> {
  const I = t.invoice;
  const customer = await getDoc(`customer:${invoice.customer_phone}`);
  const business = app.business ?? await getDoc('business');
  const data = {invoice, business: business ?? {}, customer: customer?.name ? {name: customer.name} : null,
    labels: t.print};
  const total = rupees(invoice.total_paise);
  // the shop's name as issued; an invoice from before the snapshot has only today's business doc
  const {actions, frame} = printable({data, number: invoice.number, fileName: fileName(invoice),
    text: shareText(invoice.number, (invoice.seller ?? business)?.name, total), total,
    phone: invoice.customer_phone, title: I.frameTitle, words: I});

  mount(fill(I.title, {number: invoice.number}), h('p', {class: 'notice ok', 'data-testid': 'invoice-issued'},
    fill(I.issued, {number: invoice.number, total})),
  await creditNotesOf(invoice),
  await returnsPanel(invoice),
  ...actions,
  button(t.newBill, () => go('bill'), {class: 'primary'}),
  frame);
}
