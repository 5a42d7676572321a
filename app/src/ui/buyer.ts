/**
 * The sale screen's optional B2B part (CGST Rule 46): the customer's GSTIN, registered name and
 * address, and the place of supply. A GSTIN picks its state as the place of supply; a place of
 * supply other than the shop's state makes the sale inter-state (IGST, money.ts `supplyOf`).
 * Nothing filled in: a walk-in sale, supplied at the shop.
 */
import {cleanGstin, gstinProblem, stateLabel, stateOptions, STATES} from '../gst';
import {fill, t} from '../i18n';
import {type Supply, supplyOf} from '../money';
import {app} from '../state';
import {field, h, input, select} from './dom';


export interface BuyerPart {
  element: HTMLElement;
  /** intra- or inter-state, from the place of supply and the shop's state */
  supply(): Supply;
  /** what is wrong in words, or null */
  problem(): string | null;
  /** the fields to keep on the sale and its invoice (only those filled in) */
  values(): Record<string, string>;
}

export function buyerPart(onChange: () => void): BuyerPart {
  const B = t.buyer;
  const shopState: string = app.business?.state_code ?? '';
  const gstin = input('buyer_gstin', {autocapitalize: 'characters', autocomplete: 'off', spellcheck: 'false',
    maxlength: '20', placeholder: B.gstinPlaceholder});
  const name = input('buyer_name', {maxlength: '100', autocomplete: 'off'});
  const address = input('buyer_address', {maxlength: '300', autocomplete: 'off'});
  const place = select('place_of_supply', [['', shopState ? fill(B.placeShop, {state: stateLabel(shopState)})
    : B.placeNone], ...stateOptions().filter(([code]) => code !== shopState)], '');
  const note = h('p', {class: 'note', 'data-testid': 'supply-note'});
  let placeTouched = false;
  const supply = (): Supply => supplyOf(shopState, place.value || null);
  const draw = (changed = true) => {
    note.textContent = !shopState && place.value ? B.noShopState : supply() === 'inter_state' ? B.inter : B.intra;
    if (changed) {
      onChange();
    }
  };
  place.addEventListener('change', () => { placeTouched = true; draw(); });
  gstin.addEventListener('input', () => {
    const code = cleanGstin(gstin.value).slice(0, 2);
    if (!placeTouched && STATES[code]) {
      place.value = code === shopState ? '' : code;
      draw();
    }
  });
  const element = h('details', {class: 'buyer', 'data-testid': 'buyer'},
    h('summary', {'data-testid': 'buyer-toggle'}, B.summary),
    field(B.gstin, gstin), field(B.name, name), field(B.address, address), field(B.place, place), note);
  draw(false);
  return {
    element,
    supply,
    problem: () => {
      const g = cleanGstin(gstin.value);
      const wrong = g ? gstinProblem(g) : null;
      return wrong ? fill(B.gstinProblem, {problem: wrong}) : null;
    },
    values: () => {
      const out: Record<string, string> = {};
      const g = cleanGstin(gstin.value);
      if (g) {
        out.buyer_gstin = g;
      }
      if (name.value.trim()) {
        out.buyer_name = name.value.trim().slice(0, 100).trim();
      }
      if (address.value.trim()) {
        out.buyer_address = address.value.trim().slice(0, 300).trim();
      }
      const code = place.value || (g || out.buyer_name ? shopState : '');
      if (code) {
        out.place_of_supply = code;
      }
      return out;
    },
  };
}
