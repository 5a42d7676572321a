/**
 * The app's words in English, in one place, so a translation (Hindi first) is one more file of the
 * same shape. `fill('Invoice {number}', {number})` puts values into a string. Screens written
 * before this file still hold their own strings; new ones take theirs from here.
 */
export const en = {
  nav: {settings: 'Shop'},
  settings: {
    title: 'Shop settings',
    intro: 'These details are printed on every invoice. With a GSTIN the invoice is a "Tax Invoice"; without one it is a "Bill of Supply".',
    name: 'Shop name',
    address: 'Address (printed on the invoice)',
    gstin: 'GSTIN (15 characters, optional)',
    gstinPlaceholder: 'e.g. 33AAACM1234A1ZF',
    state: 'State (for CGST + SGST or IGST)',
    noState: '— not set —',
    roundOff: 'Round bill totals to the rupee',
    save: 'Save',
    saved: 'Saved. New invoices use these details.',
    loading: 'Loading the shop details…',
    offline: 'The shop settings need the internet: connect and open this screen again. Bills still work offline.',
    stale: 'These details were changed elsewhere meanwhile: the screen now shows the latest; make your change again.',
    nameRequired: 'Enter the shop name.',
    gstinState: 'The GSTIN starts with {code}: the state must be {state}.',
    loginAgain: 'Your login has expired: log in again to change the shop settings.',
  },
  gstin: {
    format: 'A GSTIN has 15 characters: 2 digits, 10 letters and digits (the PAN), then 1, Z and 1 more, like 33AAACM1234A1ZF.',
    checkDigit: 'This GSTIN has a typo: its last character does not match the others. Check each character.',
  },
  buyer: {
    summary: 'Business customer (GSTIN, place of supply) — optional',
    gstin: "Customer's GSTIN",
    name: "Customer's registered name",
    address: "Customer's address",
    place: 'Place of supply',
    placeShop: 'This shop’s state ({state})',
    placeNone: 'At the shop (walk-in)',
    inter: 'Other state: IGST is charged.',
    intra: 'Same state: CGST + SGST are charged.',
    noShopState: 'Set your shop’s state under Shop to charge IGST for other states.',
    gstinProblem: "Customer's GSTIN: {problem}",
  },
  invoice: {
    paper: 'Paper',
    paperA4: 'A4',
    paper80: '80 mm receipt',
    paper58: '58 mm receipt',
    print: 'Print',
    sharePdf: 'Share PDF',
    whatsappText: 'Send on WhatsApp',
    downloadPdf: 'Download PDF',
    making: 'Making the PDF…',
    shared: 'Invoice {number} was handed to {app}. Check there that it was sent.',
    sharedApp: 'the app you picked',
    cancelled: 'Not shared: the share sheet was closed. Nothing was sent.',
    waOpened: 'WhatsApp opened with invoice {number} and its total {total}. Press send there. The PDF is ready below to attach.',
    waBlocked: 'Tap the link to open WhatsApp with invoice {number} and its total {total}:',
    message: 'Invoice {number} from {shop}: total {total}. Thank you!',
    ourShop: 'our shop',
    failed: 'Could not make the PDF: {error}',
  },
};

export type Strings = typeof en;

/** The strings in use. */
export const t: Strings = en;

/** `template` with each `{name}` replaced by `values[name]`. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
