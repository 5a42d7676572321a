/**
 * Sale returns on the phone: from an issued invoice, "Return items" takes a quantity per line
 * (at most what is left; one tap fills everything left), an optional reason and how the money
 * went back, and writes a credit note offline (src/returns.ts). A credit note is shown and
 * printed or shared like an invoice (printable.ts), titled "Credit Note".
 */
import {allOf, creditNoteSeries, type Doc, getDoc, issueCreditNote, newDoc, now} from '../db';
import {creditsOf, zoneOf} from '../figures';
import {fill, t} from '../i18n';
import {formatQty, parseQty, rupees} from '../money';
import {creditLines, leftToReturn, ReturnError, type ReturnLine} from '../returns';
import {FRACTIONAL_UNITS, type PayMethod} from '../shop';
import {app} from '../state';
import {localChanged} from '../sync';
import {button, field, h, input, message, mount, screenMark, select} from './dom';
import {showInvoice} from './invoice';
import {printable} from './printable';

/** On the invoice's view: its credit notes to open, and "Return items" while anything is left. */
export async function returnsPanel(invoice: Doc): Promise<HTMLElement> {
  const R = t.returns;
  const notes = await allOf('credit_note');
  const anyLeft = leftToReturn(invoice, notes).some((left) => left > 0);
  return h('div', {class: 'row invoice-actions', 'data-testid': 'returns'},
    ...creditsOf(invoice, notes).notes.map((note) => button(R.viewNote(note.number), () => showCreditNote(note),
      {'data-testid': `view-credit-note-${note.number}`})),
    anyLeft ? button(R.returnItems, () => returnScreen(invoice), {'data-testid': 'return-items'})
      : h('p', {class: 'note', 'data-testid': 'all-returned'}, R.everythingReturned));
}

/**
 * Write the credit note of a return to this phone, numbered in the credit-note series of the
 * device's invoice series `series` in the shop's time zone; sync sends it like a bill.
 */
async function makeReturn(args: {invoice: Doc; requested: ReturnLine[]; reason: string;
  refund: PayMethod | null; series: string}): Promise<Doc> {
  const R = t.returns;
  try {
    creditNoteSeries(args.series);
  } catch {
    throw new ReturnError(R.noSeries); // a login series too long to make a credit-note series of
  }
  const lines = creditLines(args.invoice, args.requested, await allOf('credit_note'));
  const note = await newDoc('credit_note', {invoice_id: args.invoice._id, number: '',
    reason: args.reason.trim() || R.defaultReason, lines,
    total_paise: lines.reduce((s, l) => s + l.amount_paise, 0), issued_at: now(),
    ...(args.refund ? {refund_method: args.refund} : {})});
  return issueCreditNote(note, args.series, zoneOf(await getDoc('business')));
}

/** The quantities typed, as return lines; a ReturnError names the first line typed wrong. */
function readQuantities(invoice: Doc, inputs: HTMLInputElement[]): ReturnLine[] {
  const R = t.returns;
  return inputs.map((el, i) => {
    const line = invoice.lines[i];
    const text = el.value.trim();
    const qty = text ? parseQty(text) : 0;
    if (qty === null) {
      throw new ReturnError(R.errQty(line.name), i);
    }
    if (qty % 1000 && !FRACTIONAL_UNITS.includes(line.unit)) {
      throw new ReturnError(R.errWhole(line.name, line.unit), i);
    }
    return {line_index: i, qty_milli: qty};
  });
}

/** Pick lines and quantities, a reason and the refund; make the credit note on this phone. */
export async function returnScreen(invoice: Doc): Promise<void> {
  const R = t.returns;
  const left = leftToReturn(invoice, await allOf('credit_note'));
  const inputs = invoice.lines.map((_: Doc, i: number) => input(`return-qty-${i}`,
    {inputmode: 'decimal', placeholder: '0', disabled: left[i] <= 0}));
  const sale = await getDoc(invoice.sale_id);
  const reason = input('return_reason', {maxlength: 200});
  const refund = select('refund_method', [['cash', t.cash], ['upi', t.upi], ['card', t.card], ['other', t.other],
    ['', R.notRefunded]], sale?.paid_method ?? 'cash');
  const msg = message();
  const fillAll = () => inputs.forEach((el: HTMLInputElement, i: number) => {
    el.value = left[i] > 0 ? formatQty(left[i]) : '';
  });
  const make = async () => {
    const here = screenMark();
    try {
      const requested = readQuantities(invoice, inputs);
      if ([...reason.value.trim()].length > 200) {
        throw new ReturnError(R.reasonTooLong);
      }
      const note = await makeReturn({invoice, requested, reason: reason.value,
        refund: (refund.value || null) as PayMethod | null, series: app.session!.invoice_series});
      await localChanged();
      if (here()) {
        await showCreditNote(note, R.made(note.number, rupees(note.total_paise)));
      }
    } catch (err) {
      if (err instanceof ReturnError) {
        msg.show(err.message);
        if (err.line_index !== null) {
          inputs[err.line_index]?.focus();
        }
      } else {
        throw err;
      }
    }
  };
  mount(R.title(invoice.number), h('p', {class: 'note'}, R.intro),
    ...invoice.lines.map((line: Doc, i: number) => h('div', {class: 'return-line', 'data-testid': `return-line-${i}`},
      h('p', {}, R.line(line.name, formatQty(line.qty_milli), formatQty(Math.max(0, left[i])), line.unit)),
      field(R.qty(line.unit), inputs[i]))),
    button(R.all, fillAll, {'data-testid': 'return-all'}),
    field(R.reason, reason),
    field(R.refund, refund),
    msg,
    button(R.make, make, {class: 'primary', 'data-testid': 'make-credit-note'}),
    button(R.backToInvoice, () => showInvoice(invoice)));
}

/** A credit note as a document: "Credit Note", its lines and tax, print and share. */
export async function showCreditNote(note: Doc, news = ''): Promise<void> {
  const R = t.returns;
  const invoice = await getDoc(note.invoice_id);
  if (!invoice) {
    mount(R.noteTitle(note.number), h('p', {class: 'message error'}, R.missingInvoice));
    return;
  }
  const customer = await getDoc(`customer:${invoice.customer_phone}`);
  const business = app.business ?? await getDoc('business');
  const total = rupees(note.total_paise);
  const data = {invoice, credit_note: note, business: business ?? {},
    customer: customer?.name ? {name: customer.name} : null, labels: t.print};
  const {actions, frame} = printable({data, number: note.number,
    fileName: `credit-note-${note.number.replace(/\//g, '-')}.pdf`,
    text: fill(R.message, {number: note.number, shop: (invoice.seller ?? business)?.name || t.invoice.ourShop, total}),
    total, phone: invoice.customer_phone, title: R.frameTitle, words: R});
  mount(R.noteTitle(note.number),
    news ? h('p', {class: 'notice ok', 'data-testid': 'credit-note-made'}, news) : null,
    h('p', {'data-testid': 'credit-note-of'}, R.noteOf(invoice.number, total)),
    ...actions,
    button(R.backToInvoice, () => showInvoice(invoice), {'data-testid': 'back-to-invoice'}),
    frame);
}
