/**
 * A document shown with the printable page of the REST API (app/print/, copied into the build as
 * print/index.html + print/invoice.js) and rendered from local data, offline, in its phone
 * layout: an invoice, or a credit note (print/invoice.js draws both). Print picks the paper (A4,
 * 80 mm or 58 mm receipt: one layout each) and opens the browser's print dialog. Share makes a
 * PDF on the phone (invoice-pdf.ts) and hands it to the share sheet, else opens WhatsApp with the
 * number and total (share.ts); the owner sees which.
 */
import {fill, locale, t} from '../i18n';
import {invoicePdf} from '../invoice-pdf';
import {openWhatsapp, type Shared, shareInvoice} from '../share';
import {button, h, message, select} from './dom';

const PAPER_KEY = 'shopbill.paper';

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
  const frame = h('iframe', {src: 'print/index.html', class: 'invoice-frame', title: doc.title,
    'data-testid': 'invoice-frame'}) as HTMLIFrameElement;
  const printer = () => (frame.contentWindow as any)?.ShopbillPrint;
  const target = () => frame.contentDocument!.getElementById('invoice')!;
  const fit = () => {
    frame.style.height = '0';
    frame.style.height = `${frame.contentDocument!.documentElement.scrollHeight + 4}px`;
  };
  let loaded: () => void;
  const ready = new Promise<void>((resolve) => { loaded = resolve; });
  frame.addEventListener('load', () => {
    frame.contentDocument!.documentElement.lang = locale;
    printer().render(doc.data, target(), 'phone');
    fit();
    loaded();
  });

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

  const paper = select('paper', [['a4', I.paperA4], ['r80', I.paper80], ['r58', I.paper58]],
    localStorage.getItem(PAPER_KEY) ?? 'a4');
  const print = async () => {
    await ready;
    localStorage.setItem(PAPER_KEY, paper.value);
    const win = frame.contentWindow as any;
    printer().setLayout(target(), paper.value);
    win.addEventListener('afterprint', () => { printer().setLayout(target(), 'phone'); fit(); }, {once: true});
    win.print();
  };

  return {frame, actions: [
    h('div', {class: 'row invoice-actions'},
      h('label', {class: 'paper'}, h('span', {}, I.paper), paper),
      button(I.print, print, {'data-testid': 'print'})),
    h('div', {class: 'row invoice-actions'},
      button(I.sharePdf, share, {'data-testid': 'share-pdf', class: 'share'}),
      button(I.whatsappText, () => tell(openWhatsapp(doc.phone, doc.text)), {'data-testid': 'share-whatsapp'})),
    result, extra]};
}
