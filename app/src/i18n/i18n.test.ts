import {afterEach, describe, expect, test, vi} from 'vitest';
import '../../print/invoice.js';
import {STATES, stateLabel} from '../gst';
import {rupees} from '../money';
import {en} from './en';
import {hi} from './hi';
import {fill, formatWhen, locale, onLanguage, phoneLocale, setLanguage, t} from './index';

const print = (globalThis as any).ShopbillPrint;

/** Every key path of a catalogue, with the kind of value at its end. */
function shape(value: unknown, path = ''): string[] {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([k, v]) => shape(v, `${path}.${k}`)).sort();
  }
  return [`${path}: ${Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value}`];
}

describe('the catalogues', () => {
  test('Hindi has every key of English, and no other (units included)', () => {
    // English leaves the number words and state names to the print page's own (null)
    const strip = (paths: string[]) => [...new Set(paths.map((p) => p.replace(/: (null|array)$/, ': list')
      .replace(/^\.print\.states.*$/, '.print.states')))];
    expect(strip(shape(hi))).toEqual(strip(shape(en)));
  });

  test('Hindi translates: no sentence is left in English (the invoice titles are bilingual by design)', () => {
    const {taxInvoice, billOfSupply, ...print} = hi.print;
    const words = JSON.stringify({...hi, print}, (_k, v) => (typeof v === 'function' ? v(1, 'x', 'y', 'z') : v));
    expect(words).not.toMatch(/\b(the|and|is|of|to|on|in)\b/);
    expect([taxInvoice, billOfSupply]).toEqual(['टैक्स इनवॉइस / Tax Invoice', 'बिल ऑफ़ सप्लाई / Bill of Supply']);
  });

  test("the English print words are the print page's own (the server prints with them)", () => {
    expect(en.print).toEqual(print.LABELS);
  });

  test('the Hindi amount in words', () => {
    expect(print.amountInWords(64050, hi.print)).toBe('छह सौ चालीस रुपये और पचास पैसे मात्र');
    expect(print.amountInWords(1234567899, hi.print))
      .toBe('एक करोड़ तेईस लाख पैंतालीस हज़ार छह सौ अठहत्तर रुपये और निन्यानवे पैसे मात्र');
    expect(print.amountInWords(10000000000, hi.print)).toBe('दस करोड़ रुपये मात्र');
    expect(print.amountInWords(100000000000, hi.print)).toBe('एक सौ करोड़ रुपये मात्र');
    expect(print.amountInWords(1, hi.print)).toBe('शून्य रुपये और एक पैसे मात्र');
    expect(print.amountInWords(64050)).toBe('Rupees Six Hundred Forty and Fifty Paise Only');
    expect(hi.print.numbers).toHaveLength(100);
  });

  test('Hindi names every GST state; the English names are the official ones', () => {
    expect(Object.keys(hi.print.states ?? {}).sort()).toEqual(Object.keys(STATES).sort());
    expect(print.stateName('29', hi.print)).toBe('कर्नाटक (29)');
    expect(print.stateName('29')).toBe('Karnataka (29)');
  });

  test('fill puts values in and leaves unknown names', () => {
    expect(fill('Invoice {number} of {shop}', {number: 'A/1'})).toBe('Invoice A/1 of {shop}');
  });
});

describe('the language in use', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  test("the phone's first language among ours decides; none of ours: English", () => {
    expect(phoneLocale(['hi-IN', 'en-US'])).toBe('hi');
    expect(phoneLocale(['hi'])).toBe('hi');
    expect(phoneLocale(['mr-IN', 'hi-IN', 'en'])).toBe('hi');
    expect(phoneLocale(['en-IN', 'hi-IN'])).toBe('en');
    expect(phoneLocale(['ta-IN'])).toBe('en');
    expect(phoneLocale(['hil'])).toBe('en'); // Hiligaynon is not Hindi
    expect(phoneLocale([])).toBe('en');
  });

  test("the owner's pick is kept, used at once, and 'auto' follows the phone again", () => {
    const stored = new Map<string, string>();
    vi.stubGlobal('localStorage', {getItem: (k: string) => stored.get(k) ?? null,
      setItem: (k: string, v: string) => stored.set(k, v), removeItem: (k: string) => stored.delete(k)});
    vi.stubGlobal('navigator', {languages: ['en-GB']});
    const heard = vi.fn();
    onLanguage(heard);
    setLanguage('hi');
    expect([locale, t.nav.bill, heard.mock.calls.length]).toEqual(['hi', 'बिल', 1]);
    expect(stateLabel('09')).toBe('उत्तर प्रदेश (09)');
    expect(stored.get('shopbill.language')).toBe('hi');
    setLanguage('auto');
    expect([locale, t.nav.bill, stored.size]).toEqual(['en', 'Bill', 0]);
    expect(stateLabel('09')).toBe('Uttar Pradesh (09)');
  });

  test('money keeps Indian grouping and Latin digits in both languages; dates too', () => {
    expect(rupees(12345678)).toBe('₹1,23,456.78');
    const stamp = '2026-03-05T09:30:00Z';
    const stored = new Map<string, string>([['shopbill.language', 'hi']]);
    vi.stubGlobal('localStorage', {getItem: (k: string) => stored.get(k) ?? null, setItem: () => undefined,
      removeItem: () => undefined});
    setLanguage('hi');
    expect(formatWhen(stamp, 'Asia/Kolkata', true)).toMatch(/^05 .+ 2026, 03:00 pm$/i);
    expect(formatWhen(stamp, 'Asia/Kolkata', true)).not.toMatch(/[०-९]/);
  });
});
