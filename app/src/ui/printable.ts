/**
 * A document the owner prints or shares: an invoice or a credit note (print/invoice.js draws
 * both), in its print frame with Paper and Print (print-frame.ts). Share makes a PDF on the phone
 * (invoice-pdf.ts) and hands it to the share sheet, else opens WhatsApp with the number and total
 * (share.ts); the owner sees which.
 */
import {fill, t} from '../i18n';
import {invoicePdf} from '../invoice-pdf';
import {openWhatsapp, type Shared, shareInvoice} from '../share';
import {button, h, message} from './dom';
import {printFrame} from './print-frame';
export interface Printable {
  /** What print/invoice.js renders: {invoice, business, customer, labels} and, for a credit note,
   *  `credit_note`. */
  data: Record<string, unknown>;
  number: string;
  /** The rendered document's accessible name. */
  title: string;
  fileName: string;
  /** The text sent with it (share.ts `shareText` or its credit-note twin). */
  text: string;
  total: string;
  phone: string;
  /** The messages that name the document: after sharing, and with the WhatsApp link. */
  words: {shared: string; waOpened: string; waBlocked: string};
}

/** The paper and print row, the share row, their messages and the rendered document. */
export function printable(doc: Printable): {actions: HTMLElement[]; frame: HTMLIFrameElement} {
  const I = t.invoice;
  const {frame, ready, printer, controls} = printFrame(doc.data, doc.title);

  // the PDF is made once, in the background, so Share hands it over at once (within the tap)
  let pdf: Promise<File> | null = null;
  const makePdf = () => (pdf ??= ready.then(async () => new File(
    [await invoicePdf(printer().invoiceView(doc.data), doc.number) as BlobPart], doc.fileName,
    {type: 'application/pdf'})));
  ready.then(() => makePdf()).catch(() => undefined);

  const {number, total} = doc;
  const result = message();
  result.setAttribute('data-testid', 'share-result');
  const extra = h('div', {class: 'share-extra', 'data-testid': 'share-extra'});
  const tell = async (shared: Shared) => {
    extra.replaceChildren();
    if (shared.kind === 'shared') {
      result.show(fill(doc.words.shared, {number, app: I.sharedApp}), 'ok');
    } else if (shared.kind === 'cancelled') {
      result.show(I.cancelled, 'error');
    } else {
      result.show(fill(shared.opened ? doc.words.waOpened : doc.words.waBlocked, {number, total}),
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
      await tell(await shareInvoice(file, doc.text, doc.phone));
    } catch (err) {
      result.show(fill(I.failed, {error: err instanceof Error ? err.message : String(err)}));
      await tell(openWhatsapp(doc.phone, doc.text));
    }
  };

  return {frame, actions: [
    controls,
    h('div', {class: 'row invoice-actions'},
      button(I.sharePdf, share, {'data-testid': 'share-pdf', class: 'share'}),
      button(I.whatsappText, () => tell(openWhatsapp(doc.phone, doc.text)), {'data-testid': 'share-whatsapp'})),
    result, extra]};
}
