/**
 * GST facts the app checks on the phone: GSTINs (format and check character, as
 * validators/checks.py `gstin_check_digit_ok`) and the state codes (the first two digits of a
 * GSTIN; the same table as app/print/invoice.js, compared by gst.test.ts).
 */
import {fill, t} from './i18n';

export const GSTIN_PATTERN = /^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z]Z[0-9A-Z]$/;
const CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

export const STATES: Record<string, string> = {
  '01': 'Jammu and Kashmir', '02': 'Himachal Pradesh', '03': 'Punjab', '04': 'Chandigarh', '05': 'Uttarakhand',
  '06': 'Haryana', '07': 'Delhi', '08': 'Rajasthan', '09': 'Uttar Pradesh', '10': 'Bihar', '11': 'Sikkim',
  '12': 'Arunachal Pradesh', '13': 'Nagaland', '14': 'Manipur', '15': 'Mizoram', '16': 'Tripura',
  '17': 'Meghalaya', '18': 'Assam', '19': 'West Bengal', '20': 'Jharkhand', '21': 'Odisha', '22': 'Chhattisgarh',
  '23': 'Madhya Pradesh', '24': 'Gujarat', '25': 'Daman and Diu', '26': 'Dadra and Nagar Haveli and Daman and Diu',
  '27': 'Maharashtra', '28': 'Andhra Pradesh (before 2014)', '29': 'Karnataka', '30': 'Goa', '31': 'Lakshadweep',
  '32': 'Kerala', '33': 'Tamil Nadu', '34': 'Puducherry', '35': 'Andaman and Nicobar Islands', '36': 'Telangana',
  '37': 'Andhra Pradesh', '38': 'Ladakh', '97': 'Other Territory',
};

/** "Karnataka (29)", "कर्नाटक (29)": the state's name in the language in use, and its code. */
export function stateLabel(code: string): string {
  return `${t.print.states?.[code] ?? STATES[code] ?? code} (${code})`;
}

/** [code, label] pairs for a select, in code order. */
export function stateOptions(): [string, string][] {
  return Object.keys(STATES).sort().map((code) => [code, stateLabel(code)]);
}

/** True when the 15th character is the mod-36 check character of the first 14. */
export function gstinCheckDigitOk(gstin: string): boolean {
  let total = 0;
  for (let i = 0; i < 14; i++) {
    const product = CHARS.indexOf(gstin[i]) * (i % 2 ? 2 : 1);
    total += Math.floor(product / 36) + (product % 36);
  }
  return CHARS[(36 - (total % 36)) % 36] === gstin[14];
}

/** The GSTIN as typed, cleaned: upper case, no spaces. */
export function cleanGstin(text: string): string {
  return text.replace(/\s+/g, '').toUpperCase();
}

/** Why a GSTIN is not one (in the owner's words), or null when it is fine. */
export function gstinProblem(gstin: string): string | null {
  if (!GSTIN_PATTERN.test(gstin) || !STATES[gstin.slice(0, 2)]) {
    return t.gstin.format;
  }
  return gstinCheckDigitOk(gstin) ? null : t.gstin.checkDigit;
}

export {fill};
