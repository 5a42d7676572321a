/**
 * An issued invoice, shown with the printable page of the REST API in its phone layout, with Paper
 * and Print (print-frame.ts). Share makes a PDF on the phone (invoice-pdf.ts) and hands it to the
 * share sheet, else opens WhatsApp with the number and total (share.ts); the owner sees which.
 * The invoice is shown as issued, always; its credit notes (synced from the server) are listed
 * above it with what they take off.
 */
import {type Doc, getDoc} from '../db';
import {zoneOf} from '../figures';
import {fill, formatWhen, t} from '../i18n';
import {invoicePdf} from '../invoice-pdf';
import {formatQty, rupees} from '../money';
import {openWhatsapp, type Shared, shareInvoice, shareText} from '../share';
import {creditsOfInvoice} from '../shop';
import {app, go} from '../state';
import {button, h, message, mount} from './dom';
import {printFrame} from './print-frame';

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
  const {frame, ready, printer, controls} = printFrame(data);

  // the PDF is made once, in the background, so Share hands it over at once (within the tap)
  let pdf: Promise<File> | null = null;
  const makePdf = () => (pdf ??= ready.then(async () => new File(
    [await invoicePdf(printer().invoiceView(data), invoice.number) as BlobPart], fileName(invoice),
    {type: 'application/pdf'})));
  ready.then(() => makePdf()).catch(() => undefined);

  const total = rupees(invoice.total_paise);
  // the shop's name as issued; an invoice from before the snapshot has only today's business doc
  const text = shareText(invoice.number, (invoice.seller ?? business)?.name, total);
  const result = message();
  result.setAttribute('data-testid', 'share-result');
  const extra = h('div', {class: 'share-extra', 'data-testid': 'share-extra'});
  const tell = async (shared: Shared) => {
    extra.replaceChildren();
    if (shared.kind === 'shared') {
      result.show(fill(I.shared, {number: invoice.number, app: I.sharedApp}), 'ok');
    } else if (shared.kind === 'cancelled') {
      result.show(I.cancelled, 'error');
    } else {
      result.show(fill(shared.opened ? I.waOpened : I.waBlocked, {number: invoice.number, total}),
        shared.opened ? 'ok' : 'error');
      const file = await makePdf().catch(() => null);
      extra.append(...(shared.opened ? [] : [h('a', {href: shared.url, target: '_blank', rel: 'noopener',
        class: 'button-link', 'data-testid': 'wa-link'}, I.whatsappText)]),
      ...(file ? [h('a', {href: URL.createObjectURL(file), download: file.name, class: 'button-link',
        'data-testid': 'pdf-download'}, I.downloadPdf)] : []));
    }
  };
  const share = async () => {
    result.show(I.making, 'ok');
    try {
      const file = await makePdf();
      await tell(await shareInvoice(file, text, invoice.customer_phone));
    } catch (err) {
      result.show(fill(I.failed, {error: err instanceof Error ? err.message : String(err)}));
      await tell(openWhatsapp(invoice.customer_phone, text));
    }
  };

  mount(fill(I.title, {number: invoice.number}), h('p', {class: 'notice ok', 'data-testid': 'invoice-issued'},
    fill(I.issued, {number: invoice.number, total})),
  await creditNotesOf(invoice),
  controls,
  h('div', {class: 'row invoice-actions'},
    button(I.sharePdf, share, {'data-testid': 'share-pdf', class: 'share'}),
    button(I.whatsappText, () => tell(openWhatsapp(invoice.customer_phone, text)), {'data-testid': 'share-whatsapp'})),
  result, extra,
  button(t.newBill, () => go('bill'), {class: 'primary'}),
  frame);
}
