/**
 * The printable page of the REST API (app/print/, copied into the build as print/index.html +
 * print/invoice.js) in an iframe, rendered from local data, offline, in its phone layout; and the
 * Paper + Print row: the paper (A4, 80 mm or 58 mm receipt, remembered) picks the printed layout,
 * the browser's print dialog prints it, and the phone layout comes back after. Used by the invoice
 * and the credit note (with Share: printable.ts) and by the bill of a sale with money due.
 */
import {locale, t} from '../i18n';
import {button, h, select} from './dom';

const PAPER_KEY = 'shopbill.paper';

export interface PrintFrame {
  frame: HTMLIFrameElement;
  /** resolves once the page has rendered `data` */
  ready: Promise<void>;
  /** the page's `ShopbillPrint` (render, invoiceView, setLayout) */
  printer: () => any;
  /** Paper and Print */
  controls: HTMLElement;
}

/** `data` (`{invoice, business, customer, labels, due?, credit_note?}`, see print/invoice.js) in a
 *  print frame named `title` (what the page shows: an invoice unless said). */
export function printFrame(data: Record<string, unknown>, title: string = t.invoice.frameTitle): PrintFrame {
  const I = t.invoice;
  const frame = h('iframe', {src: 'print/index.html', class: 'invoice-frame', title,
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
    printer().render(data, target(), 'phone');
    fit();
    loaded();
  });

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
  const controls = h('div', {class: 'row invoice-actions'},
    h('label', {class: 'paper'}, h('span', {}, I.paper), paper),
    button(I.print, print, {'data-testid': 'print'}));
  return {frame, ready, printer, controls};
}
