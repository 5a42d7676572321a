/**
 * The English words of shop settings, the sale's B2B part, the invoice screen (print and share)
 * and the printed invoice itself; part of the English catalogue (en.ts).
 */

export const invoicingEn = {
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
    upiId: 'UPI ID for payments (optional)',
    upiPlaceholder: 'e.g. shopname@okaxis',
    upiFormat: 'A UPI ID looks like shopname@okaxis: letters, digits, dots, dashes or underscores, then @ and your bank’s or app’s handle.',
  },
  upiPay: {
    scan: 'Customer: scan with any UPI app to pay',
    payee: 'Pays {name} ({vpa})',
    qrLabel: 'UPI QR code for {amount}',
    received: 'Received {amount} by UPI',
    noUpiId: 'Add your UPI ID under Shop to show a pay-by-UPI QR here.',
    counterNote: 'Bill payment',
    dueNote: 'Dues of the bill of {date}',
    printDue: 'Print the bill of dues',
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
    gstinPlaceholder: 'e.g. 29AAACM1234A1Z4',
    place: 'Place of supply',
    placeShop: 'This shop’s state ({state})',
    placeNone: 'At the shop (walk-in)',
    inter: 'Other state: IGST is charged.',
    intra: 'Same state: CGST + SGST are charged.',
    noShopState: 'Set your shop’s state under Shop to charge IGST for other states.',
    gstinProblem: "Customer's GSTIN: {problem}",
  },
  invoice: {
    title: 'Invoice {number}',
    frameTitle: 'Invoice',
    issued: 'Paid in full: invoice {number} issued for {total}.',
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
    creditNotes: (n: number) => `Credit note${n === 1 ? '' : 's'} against this invoice`,
    line: (n: number) => `line ${n}`,
    net: (total: string, credited: string, net: string) =>
      `Invoice ${total} − credited ${credited} = net ${net}. The invoice itself stays as issued.`,
  },
  /**
   * The printed invoice's words (app/print/invoice.js `LABELS`, which the server's print page uses
   * as they are; i18n.test.ts checks these are the same). `numbers` are the words for 0-99 in the
   * amount in words; null is the page's own English speller. The screens use `units` and `states` too.
   */
  print: {
    taxInvoice: 'Tax Invoice', billOfSupply: 'Bill of Supply', gstin: 'GSTIN', state: 'State', phone: 'Phone',
    billTo: 'Bill to', invoiceNo: 'Invoice No.', date: 'Date', placeOfSupply: 'Place of supply', supply: 'Supply',
    interState: 'Inter-state (IGST)', intraState: 'Intra-state (CGST + SGST)', reverseCharge: 'Reverse charge',
    no: 'No', num: '#', description: 'Description', hsn: 'HSN', qty: 'Qty', rate: 'Rate (₹)', discount: 'Discount',
    taxable: 'Taxable value', gst: 'GST', cgstSgst: 'CGST / SGST', cgst: 'CGST', sgst: 'SGST', igst: 'IGST',
    amount: 'Amount (₹)', totalTax: 'Total tax', hsnSummary: 'HSN summary', roundOff: 'Round-off', total: 'Total',
    inclGst: 'incl. GST', less: 'less', signatory: 'Authorised signatory', forShop: 'For', none: '—', item: 'Item',
    creditNote: 'Credit Note', creditNoteNo: 'Credit Note No.', againstInvoice: 'Original invoice',
    invoiceDate: 'Invoice date', reason: 'Reason', refundedBy: 'Refunded by', cash: 'Cash', upi: 'UPI', card: 'Card',
    other: 'Other',
    billDiscount: "Bill discount ₹ {amount}{percent}: shared over the lines before tax, included in each line's discount.",
    dueBill: 'Bill (payment due)', paid: 'Paid', due: 'Due', scanToPay: 'Scan to pay ₹ {amount} with any UPI app',
    upiId: 'UPI ID',
    words: 'Rupees {rupees} Only', wordsPaise: 'Rupees {rupees} and {paise} Paise Only', zero: 'Zero',
    hundred: 'Hundred', thousand: 'Thousand', lakh: 'Lakh', crore: 'Crore',
    numbers: null as string[] | null,
    // the states' names by GST state code; null: the official English names (gst.ts STATES)
    states: null as Record<string, string> | null,
    dateLocale: 'en-IN',
    units: {pcs: 'pcs', kg: 'kg', g: 'g', l: 'l', ml: 'ml', m: 'm', cm: 'cm', ft: 'ft', sqft: 'sq ft', box: 'box',
      set: 'set', pair: 'pair', dozen: 'dozen', pack: 'pack', roll: 'roll', bag: 'bag', bottle: 'bottle',
      can: 'can'} as Record<string, string>,
  },
};

export type Invoicing = typeof invoicingEn;
