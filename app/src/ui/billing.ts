/** Billing: customer phone, quick item picker, cart (fractional kg/l, discounts), live total, pay. */
import {normalisePhone} from '../api';
import {allOf, create, type Doc, getDoc, newDoc, update} from '../db';
import {formatQty, MoneyError, parseQty, parseRupees, rupees} from '../money';
import {t} from '../i18n';
import {type BillDiscount, type CartLine, checkout, customerNames, customers, FRACTIONAL_UNITS, type PayMethod,
  priceCart} from '../shop';
import {app, go, roundOffEnabled} from '../state';
import {localChanged} from '../sync';
import {payeeOf} from '../upi';
import {byName, search, unitName} from './catalog';
import {buyerPart} from './buyer';
import {button, field, h, input, message, mount, screenMark, select} from './dom';
import {showInvoice} from './invoice';
import {payWithQr, upiHint} from './upi-pay';

interface Row {
  line: CartLine;
  qty: HTMLInputElement;
  discount: HTMLInputElement;
  kind: HTMLSelectElement;
  amount: HTMLElement;
}

/** Basis points of a percentage typed by the owner ("5", "12.5"); null if not one of 0-100. */
function parsePercent(text: string): number | null {
  const bp = parseRupees(text.replace(/%\s*$/, '')); // hundredths, exactly: 12.5 -> 1250
  return bp === null || bp > 10000 ? null : bp;
}

// functions, not constants: the words are those of the language in use when the screen is drawn
const kinds = (): [string, string][] => [['rs', t.discountRupees], ['pct', t.discountPercent]];
const methods = (): [PayMethod, string][] => [['cash', t.cash], ['upi', t.upi], ['card', t.card]];

export async function billingScreen(): Promise<void> {
  const items = (await allOf('item')).filter((i) => !i.archived).sort(byName);
  const names = await customerNames();
  const recent = (await customers()).slice(0, 6);
  const rows: Row[] = [];
  const phone = input('customer_phone', {type: 'tel', inputmode: 'tel', placeholder: t.customerMobile});
  const name = input('customer_name', {autocomplete: 'off', placeholder: t.optional});
  const known = h('p', {class: 'note known', 'data-testid': 'known-customer', hidden: true});
  const query = input('pick_search', {type: 'search', placeholder: t.findItem});
  const picker = h('div', {class: 'picker', 'data-testid': 'picker'});
  const cart = h('div', {class: 'cart', 'data-testid': 'cart'});
  const total = h('p', {class: 'total', 'data-testid': 'total'}, t.totalNone);
  const count = h('small', {class: 'count', 'data-testid': 'cart-count'}, t.itemsInCart(0));
  const billDiscount = input('bill_discount', {inputmode: 'decimal', placeholder: '0'});
  const billKind = select('bill_discount_kind', kinds(), 'rs');
  const billShown = h('p', {class: 'note', 'data-testid': 'bill-discount-shown', hidden: true});
  const paid = input('paid', {inputmode: 'decimal'});
  const method = select('paid_method', [['cash', t.cash], ['upi', t.upi], ['card', t.card], ['other', t.other]]);
  const msg = message();
  const buyer = buyerPart(() => recompute());
  const sheetMsg = message();
  sheetMsg.dataset.testid = 'sheet-message';
  let totalNow: number | null = null;

  // a known customer's name is filled in from the number (not over one the owner typed)
  const fillName = async () => {
    const e164 = normalisePhone(phone.value);
    const found = e164 ? names.get(e164) : undefined;
    if (found && (!name.value.trim() || name.dataset.auto === '1')) {
      name.value = found;
      name.dataset.auto = '1';
    } else if (!found && name.dataset.auto === '1') {
      name.value = '';
      delete name.dataset.auto;
    }
    known.textContent = found ? t.knownCustomer(found) : '';
    known.hidden = !found;
  };
  phone.addEventListener('input', () => void fillName());
  name.addEventListener('input', () => delete name.dataset.auto);
  const recentBox = recent.length ? h('div', {class: 'chips', 'data-testid': 'recent-customers'},
    h('span', {class: 'chips-label'}, t.recentCustomers),
    ...recent.map((c, i) => h('button', {type: 'button', class: 'chip', 'data-testid': `recent-${i}`,
      onClick: () => { phone.value = c.phone.replace(/^\+91/, ''); void fillName(); }}, c.name ?? c.phone.replace(/^\+91/, ''))))
    : null;

  const problemOf = (row: Row): string | null => {
    const unit = row.line.item.unit;
    const qty = parseQty(row.qty.value);
    if (qty === null || qty === 0) {
      return t.errQty(row.line.item.name, FRACTIONAL_UNITS.includes(unit));
    }
    if (qty % 1000 && !FRACTIONAL_UNITS.includes(unit)) {
      return t.errWhole(row.line.item.name, unitName(unit));
    }
    const text = row.discount.value || '0';
    if ((row.kind.value === 'pct' ? parsePercent(text) : parseRupees(text)) === null) {
      return row.kind.value === 'pct' && parseRupees(text) !== null ? t.errPercent : t.errDiscount(row.line.item.name);
    }
    return null;
  };

  const billOf = (): BillDiscount | null => {
    const text = billDiscount.value || '0';
    const value = billKind.value === 'pct' ? parsePercent(text) : parseRupees(text);
    if (value === null) {
      return null;
    }
    return billKind.value === 'pct' ? {bp: value} : {paise: value};
  };

  const recompute = (): number | null => {
    totalNow = null;
    count.textContent = t.itemsInCart(rows.length);
    const problems = rows.map(problemOf).filter(Boolean);
    const bill = billOf();
    if (problems.length || !bill) {
      total.textContent = t.totalNone;
      msg.show(problems[0] ?? t.errBillDiscount);
      return null;
    }
    rows.forEach((r) => {
      const text = r.discount.value || '0';
      r.line.qty_milli = parseQty(r.qty.value)!;
      r.line.discount_bp = r.kind.value === 'pct' ? parsePercent(text) : null;
      r.line.discount_paise = r.kind.value === 'pct' ? 0 : parseRupees(text)!;
    });
    try {
      const priced = priceCart(rows.map((r) => r.line), buyer.supply(), roundOffEnabled(), bill);
      rows.forEach((r, i) => {
        const line = priced.lines[i] as Doc;
        const off = line.discount_paise + (line.bill_discount_paise ?? 0);
        r.amount.replaceChildren(
          h('span', {}, `${formatQty(line.qty_milli)} × ${rupees(line.unit_price_paise)}`),
          off ? h('small', {class: 'off'}, ` −${rupees(off)}`) : '',
          h('strong', {'data-testid': `line-amount-${i}`}, rupees(line.amount_paise)));
      });
      const billOff = (priced as Record<string, any>).bill_discount_paise ?? 0;
      billShown.textContent = billOff ? t.billDiscountShown(rupees(billOff)) : '';
      billShown.hidden = !billOff;
      total.textContent = t.total(rupees(priced.total_paise));
      msg.show('');
      totalNow = priced.total_paise;
      return priced.total_paise;
    } catch (err) {
      total.textContent = t.totalNone;
      msg.show(err instanceof MoneyError ? (/bill/.test(err.message) ? t.errBillTooBig : t.errDiscountTooBig) : String(err));
      return null;
    }
  };
  billDiscount.addEventListener('input', recompute);
  billKind.addEventListener('change', recompute);

  const drawCart = () => {
    cart.replaceChildren(...rows.map((row, i) => h('div', {class: 'cart-line', 'data-testid': `line-${i}`},
      h('div', {class: 'row'}, h('strong', {}, row.line.item.name),
        h('span', {class: 'unit-price'}, `${rupees(row.line.item.unit_price_paise)}/${unitName(row.line.item.unit)}`),
        button('✕', () => { rows.splice(i, 1); drawCart(); }, {class: 'small', 'aria-label': t.remove})),
      h('div', {class: 'row'}, field(t.qty(unitName(row.line.item.unit)), row.qty),
        h('label', {class: 'field'}, h('span', {}, t.discount), h('div', {class: 'pair'}, row.discount, row.kind))),
      h('div', {class: 'line-amount row'}, row.amount))));
    recompute();
  };

  const add = (item: Doc) => {
    const existing = rows.find((r) => r.line.item._id === item._id);
    if (existing) {
      const qty = parseQty(existing.qty.value) ?? 0;
      existing.qty.value = formatQty(qty + 1000);
    } else {
      const n = rows.length;
      const qty = input(`qty-${n}`, {inputmode: 'decimal', value: '1'});
      const discount = input(`discount-${n}`, {inputmode: 'decimal', value: '', placeholder: '0'});
      const kind = select(`discount_kind-${n}`, kinds(), 'rs');
      qty.addEventListener('input', recompute);
      discount.addEventListener('input', recompute);
      kind.addEventListener('change', recompute);
      rows.push({line: {item, qty_milli: 1000, discount_paise: 0}, qty, discount, kind,
        amount: h('div', {class: 'amount'})});
    }
    drawCart();
  };

  const drawPicker = () => {
    picker.replaceChildren(...search(items, query.value).slice(0, 30).map((item) => h('button',
      {type: 'button', class: 'pick', 'data-testid': `pick-${item.name}`, onClick: () => add(item)},
      h('span', {}, item.name), h('small', {}, rupees(item.unit_price_paise)))));
  };
  query.addEventListener('input', drawPicker);
  drawPicker();

  /** What must hold before money is asked for; the message says what is missing. */
  const ready = (): {customer: string; total: number} | null => {
    const customer = normalisePhone(phone.value);
    if (!customer) {
      msg.show(t.errPhone);
      return null;
    }
    if (!rows.length) {
      msg.show(t.errEmpty);
      return null;
    }
    const totalPaise = recompute();
    if (totalPaise === null) {
      return null;
    }
    if (totalPaise <= 0) {
      msg.show(t.errZeroTotal);
      return null;
    }
    if (name.value.trim().length > 100) {
      msg.show(t.errName);
      return null;
    }
    const buyerProblem = buyer.problem();
    if (buyerProblem) {
      msg.show(buyerProblem);
      return null;
    }
    return {customer, total: totalPaise};
  };

  const finish = async (paidPaise: number, how: PayMethod, show: typeof msg) => {
    const here = screenMark();
    const ok = ready();
    if (!ok) {
      closeSheet();
      return;
    }
    try {
      await nameCustomer(ok.customer, name.value.trim());
      const result = await checkout({phone: ok.customer, cart: rows.map((r) => r.line), paid_paise: paidPaise,
        supply: buyer.supply(), roundOff: roundOffEnabled(), series: app.session!.invoice_series,
        buyer: buyer.values(), bill: billOf() ?? {}, method: how});
      await localChanged();
      if (!here()) {
        return;
      }
      if (result.invoice) {
        await showInvoice(result.invoice);
      } else {
        incompleteSaved(result.sale);
      }
    } catch (err) {
      show.show(err instanceof Error ? err.message : String(err));
    }
  };

  // the payment sheet: one tap for "paid in full" by cash, UPI or card (UPI first shows the shop's
  // QR for the amount when it has a UPI ID); or a part payment (by UPI, the QR for that part)
  const sheetTitle = h('p', {class: 'sheet-title', 'data-testid': 'sheet-total'});
  const payee = payeeOf(app.business);
  const upiStep = h('div', {hidden: true});
  const showChoices = (upi: boolean) => { upiStep.hidden = !upi; choices.hidden = upi; };
  // paid in full or in part: by UPI, the customer first scans the QR for what they pay now (an
  // amount the sale would refuse goes straight to its message)
  const pay = (m: PayMethod, paise: number) => {
    const take = () => void finish(paise, m, sheetMsg);
    if (totalNow === null || paise > totalNow) {
      return take();
    }
    payWithQr(payee, m, paise, take, (step) => { upiStep.replaceChildren(step); showChoices(true); });
  };
  const choices = h('div', {},
    h('div', {class: 'methods'}, ...methods().map(([m, label]) => h('button', {type: 'button',
      class: 'primary method', 'data-testid': `pay-${m}`,
      onClick: () => totalNow !== null && pay(m, totalNow)}, label))),
    payee ? null : upiHint(),
    h('details', {class: 'part', 'data-testid': 'part-payment'}, h('summary', {}, t.partPayment),
      field(t.paidNow, paid), field(t.paidBy, method),
      button(t.saveSale, () => {
        const paise = parseRupees(paid.value || '0');
        if (paise === null) {
          return sheetMsg.show(t.errPaid);
        }
        void pay(method.value as PayMethod, paise);
      }, {'data-testid': 'save-sale'})));
  const sheet = h('div', {class: 'sheet', 'data-testid': 'pay-sheet', hidden: true},
    sheetTitle, choices, upiStep, sheetMsg,
    // Back from the QR goes back to the methods (the customer may pay cash after all)
    button(t.back, () => (upiStep.hidden ? closeSheet() : showChoices(false)), {class: 'link', 'data-testid': 'sheet-back'}));
  const closeSheet = () => { sheet.hidden = true; sheetMsg.show(''); showChoices(false); };
  const openSheet = () => {
    const ok = ready();
    if (!ok) {
      return;
    }
    sheetTitle.textContent = t.paidInFull(rupees(ok.total));
    sheetMsg.show('');
    sheet.hidden = false;
  };

  const bar = h('div', {class: 'charge-bar', 'data-testid': 'charge-bar'},
    h('div', {class: 'sum'}, total, count),
    button(t.charge, openSheet, {class: 'primary charge', 'data-testid': 'charge'}));

  mount(t.newBill, field(t.customerMobile, phone), recentBox, field(t.customerName, name), known, buyer.element,
    query, picker,
    items.length ? null : h('p', {class: 'note', 'data-testid': 'no-items'}, t.noItems),
    cart,
    h('details', {class: 'bill-discount'}, h('summary', {}, t.billDiscount),
      h('div', {class: 'pair'}, billDiscount, billKind)),
    billShown, msg, h('div', {class: 'bar-space'}), bar, sheet);
  recompute();
  msg.show('');
}

/** Keep the customer's name (doc `customer:<phone>`) when one is given and it changed. */
async function nameCustomer(phone: string, name: string): Promise<void> {
  if (!name) {
    return;
  }
  const known = await getDoc(`customer:${phone}`);
  if (!known) {
    await create(await newDoc('customer', {name}, `customer:${phone}`));
  } else if (known.name !== name) {
    await update(known, {name});
  }
}

function incompleteSaved(sale: Doc): void {
  const owed = sale.total_paise - sale.paid_paise;
  mount(t.sales.savedTitle, h('div', {class: 'notice', 'data-testid': 'incomplete-notice'},
    h('p', {}, t.sales.savedDue(rupees(sale.total_paise), rupees(sale.paid_paise), rupees(owed))),
    h('p', {}, t.sales.savedNoInvoice)),
  button(t.newBill, () => go('bill'), {class: 'primary'}),
  button(t.nav.dues, () => go('dues')));
}
