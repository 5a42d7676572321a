/**
 * The language in use: English or Hindi, from the phone's languages unless the owner picked one
 * (kept in localStorage, so it holds after a reload and before login). `t` is the catalogue in use
 * (a live binding: read it when drawing, never keep a part of it in a module-level constant);
 * `setLanguage` switches at once and tells the listeners (main.ts redraws the screen).
 *
 * Digits stay Latin (0-9) in both languages and money keeps Indian grouping (money.ts `rupees`):
 * GST invoices, UPI apps and bank SMSes show amounts that way, so an owner checks a total against
 * them digit for digit; dates are formatted with Latin digits too.
 */
import {type Catalogue, en} from './en';
import {hi} from './hi';

export type {Catalogue};
export type Locale = 'en' | 'hi';
/** The owner's choice: a language, or "auto" (follow the phone). */
export type LanguageChoice = Locale | 'auto';

const CATALOGUES: Record<Locale, Catalogue> = {en, hi};
const KEY = 'shopbill.language';

/**
 * The phone's language among ours: the first of the phone's preferred languages that is Hindi or
 * English decides (an owner who put English before Hindi reads English); none of them: English.
 */
export function phoneLocale(languages: readonly string[]): Locale {
  for (const tag of languages) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'hi' || base === 'en') {
      return base;
    }
  }
  return 'en';
}

/** What the owner picked on this phone ("auto" when nothing, or storage is unavailable). */
export function languageChoice(): LanguageChoice {
  try {
    const stored = localStorage.getItem(KEY);
    return stored === 'en' || stored === 'hi' ? stored : 'auto';
  } catch {
    return 'auto';
  }
}

function resolve(choice: LanguageChoice): Locale {
  return choice === 'auto' ? phoneLocale(typeof navigator === 'undefined' ? [] : navigator.languages ?? [navigator.language]) : choice;
}

export let locale: Locale = 'en';
export let t: Catalogue = en;

const listeners: (() => void)[] = [];

/** Call `listener` after each language switch. */
export function onLanguage(listener: () => void): void {
  listeners.push(listener);
}

/** Use the chosen language now: the catalogue and `<html lang>`. */
export function applyLanguage(): void {
  locale = resolve(languageChoice());
  t = CATALOGUES[locale];
  if (typeof document !== 'undefined') {
    document.documentElement.lang = locale;
    document.title = t.appTitle;
  }
}

/** Keep the owner's choice and switch to it at once. */
export function setLanguage(choice: LanguageChoice): void {
  try {
    if (choice === 'auto') {
      localStorage.removeItem(KEY);
    } else {
      localStorage.setItem(KEY, choice);
    }
  } catch { /* private mode: the choice lasts until the page is closed */ }
  applyLanguage();
  listeners.forEach((l) => l());
}

/** The Intl locale of the language in use, for dates: Indian conventions, Latin digits. */
export function intlLocale(): string {
  return t.print.dateLocale;
}

/** `stamp` as a short date and time in the shop's time zone `zone`, in the language in use. */
export function formatWhen(stamp: string, zone: string, withYear = false): string {
  return new Date(stamp).toLocaleString(intlLocale(), {timeZone: zone, day: '2-digit', month: 'short',
    ...(withYear ? {year: 'numeric'} : {}), hour: '2-digit', minute: '2-digit'});
}

/** `template` with each `{name}` replaced by `values[name]`. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

applyLanguage();
