/**
 * Money of a sale, exactly as validators/arithmetic.py specifies it: integer paise, BigInt for
 * the intermediate products, round half up. Tested against validators/examples/arithmetic.json.
 * Also parsing and showing rupees (₹ with lakh grouping) and quantities, without floats.
 */

export type Supply = 'intra_state' | 'inter_state';

export interface LineInput {
  qty_milli: number;
  unit_price_paise: number;
  gst_rate_bp: number;
  price_includes_gst?: boolean;
  discount_paise?: number;
}

export interface LineMoney {
  amount_paise: number;
  taxable_paise: number;
  cgst_paise: number;
  sgst_paise: number;
  igst_paise: number;
}

export interface SaleMoney {
  lines: LineMoney[];
  subtotal_paise: number;
  round_off_paise: number;
  total_paise: number;
}

export class MoneyError extends Error {}

/** numerator / denominator rounded to the nearest integer, halves up (numerator >= 0). */
export function roundHalfUpDiv(numerator: bigint, denominator: bigint): bigint {
  if (numerator < 0n || denominator <= 0n) {
    throw new MoneyError('roundHalfUpDiv expects numerator >= 0 and denominator > 0');
  }
  return (2n * numerator + denominator) / (2n * denominator);
}

/** CGST/SGST halves (CGST gets the floor) for intra-state supply, IGST otherwise. */
export function splitTax(tax: bigint, supply: Supply): [bigint, bigint, bigint] {
  if (supply === 'intra_state') {
    const cgst = tax / 2n;
    return [cgst, tax - cgst, 0n];
  }
  if (supply === 'inter_state') {
    return [0n, 0n, tax];
  }
  throw new MoneyError(`unknown supply ${supply}`);
}

/** The money of one line; throws MoneyError when the discount exceeds the gross amount. */
export function lineMoney(line: LineInput, supply: Supply): LineMoney {
  const discount = BigInt(line.discount_paise ?? 0);
  const gross = roundHalfUpDiv(BigInt(line.qty_milli) * BigInt(line.unit_price_paise), 1000n);
  const base = gross - discount;
  if (base < 0n || discount < 0n) {
    throw new MoneyError("discount must be between 0 and the line's gross amount");
  }
  const rate = BigInt(line.gst_rate_bp);
  let amount: bigint;
  let taxable: bigint;
  if (line.price_includes_gst ?? true) {
    amount = base;
    taxable = roundHalfUpDiv(amount * 10000n, 10000n + rate);
  } else {
    taxable = base;
    amount = taxable + roundHalfUpDiv(taxable * rate, 10000n);
  }
  const [cgst, sgst, igst] = splitTax(amount - taxable, supply);
  return {
    amount_paise: Number(amount), taxable_paise: Number(taxable),
    cgst_paise: Number(cgst), sgst_paise: Number(sgst), igst_paise: Number(igst),
  };
}

/** The adjustment to the nearest rupee (50 paise rounds up); 0 when the shop did not enable it. */
export function roundOff(subtotalPaise: number, enabled: boolean): number {
  if (!enabled) {
    return 0;
  }
  const rest = subtotalPaise % 100;
  if (rest === 0) {
    return 0; // not -0: the vectors compare exactly
  }
  return rest < 50 ? -rest : 100 - rest;
}

/** Every computed amount of a sale, in the shape of the golden vectors' `expected`. */
export function saleMoney(lines: LineInput[], supply: Supply, roundOffEnabled: boolean): SaleMoney {
  const money = lines.map((line) => lineMoney(line, supply));
  const subtotal = money.reduce((sum, m) => sum + m.amount_paise, 0);
  const adjustment = roundOff(subtotal, roundOffEnabled);
  return {lines: money, subtotal_paise: subtotal, round_off_paise: adjustment,
    total_paise: subtotal + adjustment};
}

/** "1,23,45,678.50" for 1234567850 paise: Indian (lakh, crore) grouping, no float arithmetic. */
export function groupIndian(paise: number): string {
  const sign = paise < 0 ? '-' : '';
  const abs = Math.abs(paise);
  const rupees = String(Math.floor(abs / 100));
  const decimals = String(abs % 100).padStart(2, '0');
  const last3 = rupees.slice(-3);
  const head = rupees.slice(0, -3).replace(/\B(?=(\d{2})+$)/g, ',');
  return `${sign}${head ? `${head},` : ''}${last3}.${decimals}`;
}

/** "₹1,23,456.00" */
export function rupees(paise: number): string {
  return paise < 0 ? `−₹${groupIndian(-paise)}` : `₹${groupIndian(paise)}`;
}

/** Paise of a rupee amount typed by the owner ("250", "99.9", "1,20,000.50"); null if not one. */
export function parseRupees(text: string): number | null {
  const clean = text.trim().replace(/^₹\s*/, '').replace(/,/g, '');
  const match = /^(\d{1,10})(?:\.(\d{0,2}))?$/.exec(clean);
  if (!match) {
    return null;
  }
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** Thousandths of a quantity typed by the owner ("2", "1.5", "0.250"); null if not one. */
export function parseQty(text: string): number | null {
  const match = /^(\d{1,6})(?:\.(\d{0,3}))?$/.exec(text.trim());
  if (!match) {
    return null;
  }
  return Number(match[1]) * 1000 + Number((match[2] ?? '').padEnd(3, '0'));
}

/** "1.5" for 1500, "2" for 2000. */
export function formatQty(milli: number): string {
  const whole = Math.floor(milli / 1000);
  const frac = String(milli % 1000).padStart(3, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
}

/** Inter-state (IGST) when the place of supply is another state than the shop's; as
 * validators/arithmetic.py `supply_of` (golden `supply_cases`). */
export function supplyOf(shopState: string | null | undefined, placeOfSupply: string | null | undefined): Supply {
  return shopState && placeOfSupply && placeOfSupply !== shopState ? 'inter_state' : 'intra_state';
}
