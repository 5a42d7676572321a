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
  /** A percentage line discount in basis points (10000 = 100 %); when set, the discount follows from it. */
  discount_bp?: number | null;
  /** This line's share of a whole-bill discount (billShares). */
  bill_discount_paise?: number;
}

export interface LineMoney {
  amount_paise: number;
  taxable_paise: number;
  cgst_paise: number;
  sgst_paise: number;
  igst_paise: number;
}

export interface SaleLineMoney extends LineMoney {
  /** The line's own discount (flat, or its percentage of the gross). */
  discount_paise: number;
  /** Its share of the whole-bill discount. */
  bill_discount_paise: number;
}

export interface SaleMoney {
  lines: SaleLineMoney[];
  bill_discount_paise: number;
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

/** qty × price, rounded half up to the paisa. */
export function grossPaise(line: LineInput): bigint {
  return roundHalfUpDiv(BigInt(line.qty_milli) * BigInt(line.unit_price_paise), 1000n);
}

/** The line's own discount: `discount_bp` of its gross when set, else `discount_paise`. */
export function ownDiscount(line: LineInput): bigint {
  if (line.discount_bp === undefined || line.discount_bp === null) {
    return BigInt(line.discount_paise ?? 0);
  }
  if (line.discount_bp < 0 || line.discount_bp > 10000) {
    throw new MoneyError('a percentage discount must be between 0 % and 100 %');
  }
  return roundHalfUpDiv(grossPaise(line) * BigInt(line.discount_bp), 10000n);
}

/** The money of one line; throws MoneyError when the discounts exceed the gross amount. */
export function lineMoney(line: LineInput, supply: Supply): LineMoney {
  const discount = ownDiscount(line);
  const share = BigInt(line.bill_discount_paise ?? 0);
  const gross = grossPaise(line);
  const base = gross - discount - share;
  if (base < 0n || discount < 0n || share < 0n) {
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

/**
 * `discount` shared out over lines in proportion to `bases` (largest remainder, ties to the
 * earlier line); throws MoneyError when it is negative or more than the sum of the bases.
 */
export function billShares(bases: bigint[], discount: bigint): bigint[] {
  const total = bases.reduce((s, b) => s + b, 0n);
  if (discount < 0n || discount > total) {
    throw new MoneyError("the bill discount must be between 0 and the bill's amount");
  }
  if (discount === 0n) {
    return bases.map(() => 0n);
  }
  const shares = bases.map((b) => (discount * b) / total);
  const rest = (i: number) => (discount * bases[i]) % total;
  const order = bases.map((_, i) => i).sort((a, b) => (rest(b) > rest(a) ? 1 : rest(b) < rest(a) ? -1 : a - b));
  let left = discount - shares.reduce((s, x) => s + x, 0n);
  for (const i of order) {
    if (left <= 0n) {
      break;
    }
    shares[i] += 1n;
    left -= 1n;
  }
  return shares;
}

/** The whole-bill discount in paise: `bp` basis points of the bases' sum (half up) when set. */
export function billDiscount(bases: bigint[], paise = 0, bp: number | null = null): bigint {
  if (bp === null || bp === undefined) {
    return BigInt(paise);
  }
  if (bp < 0 || bp > 10000) {
    throw new MoneyError('a percentage discount must be between 0 % and 100 %');
  }
  return roundHalfUpDiv(bases.reduce((s, b) => s + b, 0n) * BigInt(bp), 10000n);
}

/**
 * Every computed amount of a sale, in the shape of the golden vectors' `expected`: line
 * discounts first, then the whole-bill discount shared over what is left, all before tax.
 */
export function saleMoney(lines: LineInput[], supply: Supply, roundOffEnabled: boolean,
  billDiscountPaise = 0, billDiscountBp: number | null = null): SaleMoney {
  const own = lines.map(ownDiscount);
  const bases = lines.map((line, i) => grossPaise(line) - own[i]);
  if (bases.some((b, i) => b < 0n || own[i] < 0n)) {
    throw new MoneyError("discount must be between 0 and the line's gross amount");
  }
  const bill = billDiscount(bases, billDiscountPaise, billDiscountBp);
  const shares = billShares(bases, bill);
  const money = lines.map((line, i) => lineMoney({...line, bill_discount_paise: Number(shares[i])}, supply));
  const subtotal = money.reduce((sum, m) => sum + m.amount_paise, 0);
  const adjustment = roundOff(subtotal, roundOffEnabled);
  return {lines: money.map((m, i) => ({...m, discount_paise: Number(own[i]), bill_discount_paise: Number(shares[i])})),
    bill_discount_paise: Number(bill), subtotal_paise: subtotal, round_off_paise: adjustment,
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
