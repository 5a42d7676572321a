/**
 * The app's words in English, in one place, so a translation (Hindi first) is one more file of the
 * same shape. `fill('Invoice {number}', {number})` puts values into a string. Functions take the figures they show.
 */

// the counter flow, customers, the day summary, the sync bar, the owner screen
const counter = {
  // billing
  newBill: 'New bill',
  customerMobile: 'Customer mobile',
  customerName: "Customer's name",
  optional: 'Optional',
  recentCustomers: 'Recent customers',
  knownCustomer: (name: string) => `Known customer: ${name}`,
  findItem: 'Find item',
  noItems: 'No items yet: add them under Items first.',
  remove: 'Remove',
  qty: (unit: string) => `Qty (${unit})`,
  discount: 'Discount',
  discountRupees: '₹ off',
  discountPercent: '% off',
  lineAmount: (qty: string, unit: string, price: string, amount: string) => `${qty} ${unit} × ${price} = ${amount}`,
  lineAfterDiscount: (amount: string) => `after discount ${amount}`,
  billDiscount: 'Discount on the whole bill',
  billDiscountShown: (amount: string) => `Bill discount: −${amount}`,
  total: (amount: string) => `Total: ${amount}`,
  totalNone: 'Total: —',
  itemsInCart: (n: number) => `${n} item${n === 1 ? '' : 's'}`,
  charge: 'Charge',
  chargeTotal: (amount: string) => `Charge ${amount}`,
  paidInFull: (amount: string) => `Paid in full, ${amount}:`,
  cash: 'Cash',
  upi: 'UPI',
  card: 'Card',
  other: 'Other',
  notRecorded: 'Not recorded',
  partPayment: 'Paid less, or on credit',
  paidNow: 'Amount received now (₹, empty = nothing yet)',
  paidBy: 'Paid by',
  saveSale: 'Save sale (rest due later)',
  back: 'Back',
  errPhone: "Enter the customer's 10-digit mobile number.",
  errEmpty: 'The cart is empty: tap an item to add it.',
  errName: "The customer's name can have up to 100 letters.",
  errPaid: 'Enter the amount received in rupees, like 100 or 99.50 (empty if nothing was paid now).',
  errQty: (name: string, fractional: boolean) => `${name}: enter a quantity like 2${fractional ? ' or 1.5' : ''}.`,
  errWhole: (name: string, unit: string) => `${name} is sold in whole ${unit}.`,
  errDiscount: (name: string) => `${name}: discount in rupees (like 10 or 5.50) or a percentage (like 5 or 12.5).`,
  errPercent: 'A percentage discount is between 0 and 100.',
  errBillDiscount: 'Bill discount: rupees like 50, or a percentage like 5.',
  errDiscountTooBig: 'A discount is more than the price of its line.',
  errBillTooBig: 'The bill discount is more than the bill.',
  errZeroTotal: 'The total is ₹0: a bill must be for more than ₹0.',
  errZeroPrice: 'Price: a ₹0 item cannot be billed; enter its price.',
  // customers and dues
  customers: 'Customers',
  customersNone: 'No customers yet: they appear here after their first bill.',
  owes: (amount: string) => `owes ${amount}`,
  owesNothing: 'nothing due',
  purchases: (n: number) => `${n} purchase${n === 1 ? '' : 's'}`,
  lookUpNumber: 'Look up a number',
  showPurchases: 'Show purchases',
  historyOf: (who: string) => `Purchases of ${who}`,
  payInFull: (amount: string) => `Paid the whole ${amount} by:`,
  orPartPayment: 'Or record part of it:',
  // the day's summary
  byMethod: 'Money received, by payment method',
  // sync bar
  notLoggedIn: 'Not logged in',
  notSyncing: 'Not syncing: log in again',
  online: 'Online',
  syncing: 'Online · sending…',
  offline: 'Offline — bills are saved on this phone',
  allSent: 'All sent',
  notSent: (bills: number, payments: number, others: number) => [
    bills ? `${bills} bill${bills === 1 ? '' : 's'}` : '',
    payments ? `${payments} payment${payments === 1 ? '' : 's'}` : '',
    others ? `${others} other change${others === 1 ? '' : 's'}` : '',
  ].filter(Boolean).join(', ') + ' not sent yet',
  notSyncedYet: 'Not synced yet',
  synced: (ago: string) => `Synced ${ago}`,
  justNow: 'just now',
  minAgo: (n: number) => `${n} min ago`,
  storageWarning: 'This browser may clear bills not yet sent (storage is not guaranteed). Install the app to the home screen, and go online often.',
  dismiss: 'OK, got it',
  // owner screens
  owner: 'Shop',
  ownerTitle: 'Shop owner',
  loggedInAs: (phone: string) => `Logged in as ${phone}`,
  changePassword: 'Change password',
  oldPassword: 'Current password',
  newPassword: 'New password (8+ characters, not only digits)',
  passwordChanged: 'Password changed. This phone stays logged in.',
  exportData: 'Download my data',
  exportHelp: 'Invoices as a CSV file from the server; when offline, everything on this phone as a JSON file.',
  exported: (name: string) => `Saved ${name}.`,
  logOut: 'Log out',
  logOutHelp: 'Log out of this phone. Bills not sent yet stay here until they are sent.',
  logOutBlocked: (n: string) => `${n}: go online and let them be sent before logging out.`,
  loggedOut: 'Logged out.',
  needsOnline: 'No internet connection: this needs the server. Try again when online.',
};

// shop settings, the sale's B2B part, the invoice's print and share
const invoicing = {
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

export const en = {...counter, ...invoicing};

export type Strings = typeof en;

/** The strings in use. */
export const t: Strings = en;

/** `template` with each `{name}` replaced by `values[name]`. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
