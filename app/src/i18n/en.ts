/**
 * The app's words in English, in one place; hi.ts is the Hindi catalogue of the same shape (its type,
 * `Catalogue`, is this object's, so a missing or extra key there is a compile error). Screens read
 * the language in use through `t` (./index.ts); `fill('Invoice {number}', {number})` puts values
 * into a string. Functions take the figures they show. Organised by screen; the invoice's words are
 * in en-invoicing.ts.
 */
import type {PendingKinds} from '../pending';
import {invoicingEn} from './en-invoicing';

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
  byMethod: 'Money received less refunds, by payment method',
  // sync bar
  notLoggedIn: 'Not logged in',
  notSyncing: 'Not syncing: log in again',
  online: 'Online',
  syncing: 'Online · sending…',
  offline: 'Offline — bills are saved on this phone',
  allSent: 'All sent',
  notSent: ({bills, returns, payments, others}: PendingKinds) => [
    bills ? `${bills} bill${bills === 1 ? '' : 's'}` : '',
    returns ? `${returns} return${returns === 1 ? '' : 's'}` : '',
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
  errOldPassword: 'Enter your current password.',
};

// the whole app: the tabs, the language switch
const app = {
  appTitle: 'Shop billing',
  loading: 'Loading…',
  nav: {bill: 'Bill', items: 'Items', dues: 'Dues', today: 'Today', customers: 'Customers', owner: 'Shop'},
  language: {
    // the label is bilingual and each language is named in its own script, in every catalogue: so
    // one finds one's own language on a screen one cannot read
    label: 'Language / भाषा',
    auto: "The phone's language",
    en: 'English',
    hi: 'हिन्दी',
  },
  // the sync bar's rarer lines
  refused: (what: string, id: string, reason: string) =>
    `The server refused ${what} (${id}…): ${reason}. It stays on this phone, and the rest still syncs; edit it to send it again.`,
  docKinds: {item: 'an item', group: 'an item group', sale: 'a sale', invoice: 'an invoice', payment: 'a payment',
    customer: 'a customer', business: 'the shop details', other: 'a record'},
  serverNotices: (n: number) => `${n} notice${n === 1 ? '' : 's'} from the server's check of your records: see Today.`,
};

// signup, login, "opened on another phone"
const auth = {
  passwordShort: 'The password needs at least 8 characters.',
  passwordDigits: 'The password must not be only digits.',
  errMobile: 'Enter a 10-digit mobile number, e.g. 98765 43210.',
  errPassword: 'Enter your password.',
  logIn: 'Log in',
  mobile: 'Mobile number',
  password: 'Password',
  toSignup: 'New shop? Sign up',
  signupTitle: 'Open your shop',
  smsNote: 'We send a 6-digit code to your mobile by SMS.',
  sendCode: 'Send code',
  toLogin: 'Have a shop? Log in',
  errOtp: 'The code has 6 digits.',
  otpTitle: 'Enter the code',
  sentTo: (phone: string) => `Sent to ${phone}.`,
  otp: '6-digit code',
  verify: 'Verify',
  errOwner: 'Enter your name.',
  errShop: 'Enter the shop name.',
  detailsTitle: 'Your shop',
  ownerName: 'Your name',
  shopName: 'Shop name',
  category: 'Kind of shop',
  categories: {general_trading: 'General trading', automobile: 'Automobile', electrical: 'Electrical', other: 'Other'},
  address: 'Address (optional)',
  newPassword: 'Password (8+ characters, not only digits)',
  createShop: 'Create shop',
  kept: (n: number) => `${n} change${n === 1 ? '' : 's'} made here (bills, items, payments) are kept safely on this phone and will be sent after you log in again.`,
  nothingLost: 'Everything made on this phone was already sent; nothing is lost.',
  loggedOutTitle: 'This phone was logged out',
  replacedTitle: 'This shop was opened on another phone',
  loggedOutWhy: 'This phone was logged out of the shop account (or its password was reset), so it stopped syncing.',
  replacedWhy: 'Your shop account was logged in on another phone, so this phone stopped syncing.',
  loginAgain: 'Log in again to use this phone; the other phone will then stop instead.',
};

// item groups and items
const items = {
  title: 'Items',
  search: 'Search items',
  archived: (name: string) => `${name} (archived)`,
  edit: 'Edit',
  addGroup: '+ Group',
  addItem: '+ Item',
  startHint: 'Start with a group, e.g. "Engine parts" or "Wires".',
  showArchived: 'Show archived',
  hideArchived: 'Hide archived',
  errGroupName: 'Give the group a name (up to 60 letters).',
  archive: 'Archive',
  bringBack: 'Bring back',
  editGroup: 'Edit group',
  newGroup: 'New group',
  groupName: 'Group name',
  save: 'Save',
  cancel: 'Cancel',
  gstRate: (percent: number) => `${percent}% GST`,
  errItemName: 'Give the item a name (up to 100 letters).',
  errPrice: 'Price: enter rupees like 250 or 99.50 (up to ₹1 crore).',
  errHsn: 'HSN code: 4 to 8 digits, or leave it empty.',
  editItem: 'Edit item',
  newItem: 'New item',
  name: 'Name',
  group: 'Group',
  price: 'Price (₹)',
  includesGst: 'Price includes GST',
  unit: 'Unit',
  gstRateLabel: 'GST rate',
  hsn: 'HSN code (optional)',
};

// dues, payments, the day's takings, a customer's history; an incomplete sale saved
const sales = {
  invoiceNo: (number: string) => `Invoice ${number}`,
  notPaidDue: (amount: string) => `Not paid in full: ${amount} due`,
  credited: (n: number, numbers: string, credited: string, net: string) =>
    `Credit note${n === 1 ? '' : 's'} ${numbers}: ${credited} credited, ${net} net`,
  duesTitle: 'Dues (incomplete sales)',
  noDues: 'Nothing is due: every sale is paid in full.',
  errAmount: 'Enter the amount received, like 100 or 99.50.',
  recorded: (amount: string) => `Payment of ${amount} recorded.`,
  paymentTitle: 'Record a payment',
  dueLine: (who: string, total: string, owed: string) => `${who}: total ${total}, ${owed} due.`,
  amountReceived: 'Amount received (₹)',
  recordPayment: 'Record payment',
  takingsOf: (day: string) => `Takings of ${day}`,
  todayTitle: "Today's takings",
  day: 'Day',
  moneyReceived: 'Money received',
  creditNotesIssued: 'Credit notes issued',
  receivedNet: 'Received, less credit notes',
  invoicesIssued: 'Invoices issued',
  salesNet: 'Sales, less credit notes',
  notPaidFull: 'Sales not paid in full',
  countDue: (n: number, amount: string) => `${n} (${amount} due)`,
  serverChecks: 'Notices from the server check',
  errMobile: 'Enter a 10-digit mobile number.',
  summary: (n: number, net: string, credited: string | null) =>
    `${n} purchase${n === 1 ? '' : 's'}, ${net} in all${credited ? ` (after ${credited} of credit notes)` : ''}.`,
  noPurchases: 'No purchases from this number on this phone.',
  invoices: (n: number, total: string, credited: string, net: string) =>
    `Invoices: ${n}, ${total} billed, ${credited} credited, ${net} net.`,
  savedTitle: 'Sale saved — not paid in full',
  savedDue: (total: string, paid: string, owed: string) => `Total ${total}, paid ${paid}: ${owed} is still due.`,
  savedNoInvoice: 'No invoice is issued until the full amount is paid. Find this sale under Dues to record the rest.',
  // refused by the phone's own checks (shop.ts)
  paidTooMuch: 'Paid is more than the total: enter the amount kept, and give the change back.',
  saleMissing: 'This sale is not on this phone.',
  saleSettled: 'This sale is fully paid and invoiced already.',
  amountAboveZero: 'Enter an amount above ₹0.',
  moreThanDue: (owed: string) => `That is more than is due: only ${owed} is due.`,
};

// the server's refusals, by its error code (the server's own words only for what has no code here)
const errors = {
  offline: counter.needsOnline,
  rateLimited: (seconds: string | null) => `Too many tries. Please wait${seconds ? ` ${seconds} seconds` : ''} and try again.`,
  invalid: (detail: string) => `The server did not accept this: ${detail}`,
  wrongPassword: 'The current password is wrong.',
  other: (status: number, detail: string) => `The server answered ${status}${detail ? `: ${detail}` : '.'}`,
  codes: {
    already_registered: 'This phone number already has a shop. Log in instead.',
    otp_invalid: 'The code is wrong, expired or used already: ask for a new one.',
    invalid_credentials: 'Wrong mobile number or password.',
    invalid_token: 'Your login has expired: start again or log in again.',
    not_authenticated: 'Your login has expired: log in again.',
    device_replaced: 'This shop was opened on another phone: log in again to use this one.',
    login_conflict: 'Another phone logged in to this shop at the same moment: try again.',
    sms_failed: 'The code could not be sent by SMS: try again in a few minutes.',
    couchdb_unavailable: 'The server is busy or unreachable: try again shortly.',
    validation_unavailable: 'The server cannot check records just now: try again later.',
  },
};

// sale returns: credit notes made on the phone against an issued invoice
const returns = {
  returnItems: 'Return items',
  everythingReturned: 'Everything on this invoice has been returned.',
  viewNote: (number: string) => `Credit note ${number}`,
  title: (number: string) => `Return items of invoice ${number}`,
  intro: 'Enter the quantity coming back on each line (at most what is left). A credit note is made on this phone and sent with the next sync.',
  line: (name: string, sold: string, left: string, unit: string) => `${name}: sold ${sold} ${unit}, ${left} ${unit} left to return`,
  qty: (unit: string) => `Returned (${unit})`,
  all: 'Return everything left',
  reason: 'Reason (optional)',
  defaultReason: 'Goods returned',
  refund: 'Money given back by',
  notRefunded: 'Not given back',
  make: 'Make credit note',
  made: (number: string, amount: string) => `Credit note ${number} made for ${amount}. It is sent with the next sync.`,
  noteTitle: (number: string) => `Credit note ${number}`,
  frameTitle: 'Credit note',
  noteOf: (invoice: string, amount: string) => `Against invoice ${invoice}: ${amount} credited.`,
  backToInvoice: 'Back to the invoice',
  missingInvoice: 'The invoice of this credit note is not on this phone.',
  noSuchLine: 'That line is not on the invoice.',
  moreThanLeft: (name: string) => `${name}: that is more than is left to return.`,
  errQty: (name: string) => `${name}: enter a quantity like 1 or 0.5 (empty or 0 to keep it).`,
  errWhole: (name: string, unit: string) => `${name} comes back in whole ${unit}.`,
  nothingPicked: 'Enter a quantity to return on at least one line.',
  creditsNothing: 'That return is worth ₹0: return more.',
  reasonTooLong: 'The reason can have up to 200 letters.',
  noSeries: 'This phone cannot number credit notes with its login: log in again to make a return.',
  // share: {number}, {total}, {shop}, {app}
  shared: 'Credit note {number} was handed to {app}. Check there that it was sent.',
  waOpened: 'WhatsApp opened with credit note {number} for {total}. Press send there. The PDF is ready below to attach.',
  waBlocked: 'Tap the link to open WhatsApp with credit note {number} for {total}:',
  message: 'Credit note {number} from {shop}: {total} credited. Thank you!',
};

export const en = {...counter, ...app, auth, items, sales, errors, returns, ...invoicingEn};

/** The shape every language's catalogue has. */
export type Catalogue = typeof en;
/** Each block's shape: a translation types its blocks with these, so an extra key is an error too. */
export type Blocks = {counter: typeof counter; app: typeof app; auth: typeof auth; items: typeof items;
  sales: typeof sales; errors: typeof errors; returns: typeof returns};
