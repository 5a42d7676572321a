/**
 * Sending an invoice from the phone: the PDF (made here, offline) to the share sheet
 * (`navigator.share({files})`: WhatsApp, mail, Drive... on Android), else a `wa.me` link with the
 * invoice number and total to the customer's WhatsApp. The owner is always told what happened.
 */
import {fill, t} from './i18n';

export type Shared =
  | {kind: 'shared'}
  | {kind: 'cancelled'}
  | {kind: 'whatsapp'; url: string; opened: boolean};

/** The text that goes with the invoice: number, shop, total. */
export function shareText(number: string, shop: string | undefined, total: string): string {
  return fill(t.invoice.message, {number, shop: shop || t.invoice.ourShop, total});
}

/** `https://wa.me/<customer's number>?text=...` (no number: WhatsApp asks whom to send it to). */
export function whatsappUrl(phone: string | undefined, text: string): string {
  const digits = (phone ?? '').replace(/\D/g, '');
  return `https://wa.me/${digits}?text=${encodeURIComponent(text)}`;
}

/** Hand `file` to the share sheet when the phone can share files; else open WhatsApp with `text`. */
export async function shareInvoice(file: File, text: string, phone?: string): Promise<Shared> {
  if (navigator.canShare?.({files: [file]}) && navigator.share) {
    try {
      await navigator.share({files: [file], title: file.name, text});
      return {kind: 'shared'};
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') {
        return {kind: 'cancelled'};
      }
      // NotAllowedError (no user gesture left) or a failing target: WhatsApp as text instead
    }
  }
  return openWhatsapp(phone, text);
}

export function openWhatsapp(phone: string | undefined, text: string): Shared {
  const url = whatsappUrl(phone, text);
  const opened = Boolean(window.open(url, '_blank', 'noopener'));
  return {kind: 'whatsapp', url, opened};
}
