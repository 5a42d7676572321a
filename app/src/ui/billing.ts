/** Billing: customer phone, quick item picker, cart (fractional kg/l, discounts), live total, pay. */
import {normalisePhone} from '../api';
import {allOf, create, type Doc, getDoc, newDoc, update} from '../db';
import {formatQty, MoneyError, parseQty, parseRupees, rupees} from '../money';
import {type CartLine, checkout, FRACTIONAL_UNITS, priceCart} from '../shop';
import {app, go, roundOffEnabled} from '../state';
import {localChanged} from '../sync';
import {byName, search} from './catalog';
import {buyerPart} from './buyer';
import {button, field, h, input, message, mount, screenMark} from './dom';
import {showInvoice} from './invoice';

interface Row {line: CartLine; qty: HTMLInputElement; discount: HTMLInputElement}

export async function billingScreen(): Promise<void> {
  const items = (await allOf('item')).filter((i) => !i.archived).sort(byName);
  const rows: Row[] = [];
  const phone = input('customer_phone', {type: 'tel', inputmode: 'tel', placeholder: 'Customer mobile'});
  const name = input('customer_name', {autocomplete: 'off', placeholder: 'Optional'});
  const query = input('pick_search', {type: 'search', placeholder: 'Find item'});
  const picker = h('div', {class: 'picker', 'data-testid': 'picker'});
  const cart = h('div', {class: 'cart', 'data-testid': 'cart'});
  const total = h('p', {class: 'total', 'data-testid': 'total'});
  const paid = input('paid', {inputmode: 'decimal', placeholder: 'Amount received'});
  const msg = message();
  const buyer = buyerPart(() => recompute());

  const problemOf = (row: Row): string | null => {
    const qty = parseQty(row.qty.value);
    if (qty === null || qty === 0) {
      return `${row.line.item.name}: enter a quantity like 2${FRACTIONAL_UNITS.includes(row.line.item.unit) ? ' or 1.5' : ''}.`;
    }
    if (qty % 1000 && !FRACTIONAL_UNITS.includes(row.line.item.unit)) {
      return `${row.line.item.name} is sold in whole ${row.line.item.unit}.`;
    }
    if (parseRupees(row.discount.value || '0') === null) {
      return `${row.line.item.name}: discount in rupees, like 10 or 5.50.`;
    }
    return null;
  };

  const recompute = (): number | null => {
    const problems = rows.map(problemOf).filter(Boolean);
    if (problems.length) {
      total.textContent = 'Total: —';
      msg.show(problems[0]!);
      return null;
    }
    rows.forEach((r) => {
      r.line.qty_milli = parseQty(r.qty.value)!;
      r.line.discount_paise = parseRupees(r.discount.value || '0')!;
    });
    try {
      const priced = priceCart(rows.map((r) => r.line), buyer.supply(), roundOffEnabled());
      total.textContent = `Total: ${rupees(priced.total_paise)}`;
      msg.show('');
      return priced.total_paise;
    } catch (err) {
      total.textContent = 'Total: —';
      msg.show(err instanceof MoneyError ? 'A discount is more than the price of its line.' : String(err));
      return null;
    }
  };

  const drawCart = () => {
    cart.replaceChildren(...rows.map((row, i) => h('div', {class: 'cart-line', 'data-testid': `line-${i}`},
      h('div', {class: 'row'}, h('strong', {}, row.line.item.name),
        h('span', {}, `${rupees(row.line.item.unit_price_paise)}/${row.line.item.unit}`),
        button('✕', () => { rows.splice(i, 1); drawCart(); }, {class: 'small', 'aria-label': 'Remove'})),
      h('div', {class: 'row'}, field(`Qty (${row.line.item.unit})`, row.qty), field('Discount ₹', row.discount)))));
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
      qty.addEventListener('input', recompute);
      discount.addEventListener('input', recompute);
      rows.push({line: {item, qty_milli: 1000, discount_paise: 0}, qty, discount});
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

  const charge = async () => {
    const here = screenMark();
    const customer = normalisePhone(phone.value);
    if (!customer) {
      return msg.show("Enter the customer's 10-digit mobile number.");
    }
    if (!rows.length) {
      return msg.show('The cart is empty: tap an item to add it.');
    }
    const totalPaise = recompute();
    if (totalPaise === null) {
      return;
    }
    if (name.value.trim().length > 100) {
      return msg.show("The customer's name can have up to 100 letters.");
    }
    const buyerProblem = buyer.problem();
    if (buyerProblem) {
      return msg.show(buyerProblem);
    }
    const paidPaise = parseRupees(paid.value);
    if (paidPaise === null) {
      return msg.show('Enter the amount received in rupees (0 if nothing was paid now).');
    }
    try {
      await nameCustomer(customer, name.value.trim());
      const result = await checkout({phone: customer, cart: rows.map((r) => r.line), paid_paise: paidPaise,
        supply: buyer.supply(), roundOff: roundOffEnabled(), series: app.session!.invoice_series,
        buyer: buyer.values()});
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
      msg.show(err instanceof Error ? err.message : String(err));
    }
  };

  mount('New bill', field('Customer mobile', phone), field("Customer's name", name), buyer.element, query, picker,
    items.length ? null : h('p', {class: 'note'}, 'No items yet: add them under Items first.'),
    cart, total, field('Paid now (₹)', paid), msg,
    button('Charge', charge, {class: 'primary', 'data-testid': 'charge'}));
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
  mount('Sale saved — not paid in full', h('div', {class: 'notice', 'data-testid': 'incomplete-notice'},
    h('p', {}, `Total ${rupees(sale.total_paise)}, paid ${rupees(sale.paid_paise)}: ${rupees(owed)} is still due.`),
    h('p', {}, 'No invoice is issued until the full amount is paid. Find this sale under Dues to record the rest.')),
  button('New bill', () => go('bill'), {class: 'primary'}),
  button('Dues', () => go('dues')));
}
