/* Printable GST tax invoice (CGST Rule 46): renders an invoice's JSON in the browser.
 *
 * Input `{invoice, business, customer}`: the invoice doc as issued, the shop's `business` doc (its
 * time zone; its details only for an invoice without a `seller` snapshot) and the customer doc (or
 * null); with `credit_note` (a credit note of that invoice) the page is that Credit Note (CGST
 * Rule 53: its number and date, the invoice's, the credited lines and tax). The server's
 * `GET /v1/invoices/{sale uuid}/print` embeds it in
 * index.html in the `invoice-data` JSON script element; the app calls
 * `ShopbillPrint.render(data, element, layout)` offline with the same data. One layout per width:
 * "a4" (the full Rule 46 table), "r80" and "r58" (thermal receipts, lines stacked), "phone"; the
 * page picks `?layout=` or its width. Shown: "Tax Invoice" when the shop has a GSTIN ("Bill of
 * Supply" otherwise), the buyer's GSTIN, name, address and place of supply when the invoice has
 * them, CGST/SGST or IGST per line, an HSN summary. A whole-bill discount is shown in each line's
 * discount (its share) and in a note naming it, so every line adds up. `data.due` (optional) makes
 * it the bill of a sale not yet paid in full, with a pay-by-UPI QR (invoiceView explains). Money is
 * integer paise; text is set with textContent only, never parsed as HTML.
 */
(function (root) {
  "use strict";

  var ONES = ["", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten",
    "Eleven", "Twelve", "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen", "Eighteen", "Nineteen"];
  var TENS = ["", "", "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety"];
  var UNITS = { pcs: "pcs", kg: "kg", g: "g", l: "l", ml: "ml", m: "m", cm: "cm", ft: "ft", sqft: "sq ft",
    box: "box", set: "set", pair: "pair", dozen: "dozen", pack: "pack", roll: "roll", bag: "bag",
    bottle: "bottle", can: "can" };

  /** English words for 0-99 (the page's own speller; a translation passes its own `numbers`). */
  function belowHundred(n) {
    if (n < 20) return ONES[n];
    return TENS[Math.floor(n / 10)] + (n % 10 ? "-" + ONES[n % 10] : "");
  }

  function below100(n, L) {
    return L.numbers ? L.numbers[n] : belowHundred(n);
  }

  function belowThousand(n, L) {
    var words = [];
    if (n >= 100) words.push(below100(Math.floor(n / 100), L) + " " + L.hundred);
    if (n % 100) words.push(below100(n % 100, L));
    return words.join(" ");
  }

  /** A whole number in words, Indian system: crore (10^7), lakh (10^5), thousand, hundred; the
   * words are `labels`' (English by default: Hindi counts the same way, with its own words). */
  function numberInWords(n, labels) {
    var L = labels || LABELS;
    if (n === 0) return L.zero;
    var parts = [];
    var crore = Math.floor(n / 10000000);
    var rest = n % 10000000;
    if (crore) parts.push(numberInWords(crore, L) + " " + L.crore);
    var lakh = Math.floor(rest / 100000);
    if (lakh) parts.push(below100(lakh, L) + " " + L.lakh);
    rest %= 100000;
    var thousand = Math.floor(rest / 1000);
    if (thousand) parts.push(below100(thousand, L) + " " + L.thousand);
    if (rest % 1000) parts.push(belowThousand(rest % 1000, L));
    return parts.join(" ");
  }

  /** "Rupees Six Hundred Forty and Fifty Paise Only" for 64050 paise (`labels`' words and order). */
  function amountInWords(paise, labels) {
    var L = labels || LABELS;
    var rupees = Math.floor(paise / 100);
    var rest = paise % 100;
    var template = rest ? L.wordsPaise : L.words;
    return template.replace("{rupees}", numberInWords(rupees, L)).replace("{paise}", rest ? numberInWords(rest, L) : "");
  }

  /** "6,40,000.50" for 64000050 paise: Indian digit grouping, two decimals, no float arithmetic. */
  function formatRupees(paise) {
    var sign = paise < 0 ? "-" : "";
    var abs = Math.abs(paise);
    var rupees = String(Math.floor(abs / 100));
    var decimals = String(abs % 100).padStart(2, "0");
    var last3 = rupees.slice(-3);
    var head = rupees.slice(0, -3).replace(/\B(?=(\d{2})+$)/g, ",");
    return sign + (head ? head + "," : "") + last3 + "." + decimals;
  }

  function formatQty(milli) {
    var whole = Math.floor(milli / 1000);
    var frac = String(milli % 1000).padStart(3, "0").replace(/0+$/, "");
    return frac ? whole + "." + frac : String(whole);
  }

  /** `stamp` as a date and time in the shop's time zone (business.timezone, India's by default). */
  function formatDate(stamp, zone, locale) {
    var d = new Date(stamp);
    try {
      return d.toLocaleString(locale || "en-IN", { timeZone: zone || "Asia/Kolkata", day: "2-digit", month: "short",
        year: "numeric", hour: "2-digit", minute: "2-digit" });
    } catch (e) {
      return stamp;
    }
  }

  /** GST state codes (the first two digits of a GSTIN) and their names; 97 = other territory. */
  var STATES = { "01": "Jammu and Kashmir", "02": "Himachal Pradesh", "03": "Punjab", "04": "Chandigarh",
    "05": "Uttarakhand", "06": "Haryana", "07": "Delhi", "08": "Rajasthan", "09": "Uttar Pradesh", "10": "Bihar",
    "11": "Sikkim", "12": "Arunachal Pradesh", "13": "Nagaland", "14": "Manipur", "15": "Mizoram", "16": "Tripura",
    "17": "Meghalaya", "18": "Assam", "19": "West Bengal", "20": "Jharkhand", "21": "Odisha", "22": "Chhattisgarh",
    "23": "Madhya Pradesh", "24": "Gujarat", "25": "Daman and Diu",
    "26": "Dadra and Nagar Haveli and Daman and Diu", "27": "Maharashtra", "28": "Andhra Pradesh (before 2014)",
    "29": "Karnataka", "30": "Goa", "31": "Lakshadweep", "32": "Kerala", "33": "Tamil Nadu", "34": "Puducherry",
    "35": "Andaman and Nicobar Islands", "36": "Telangana", "37": "Andhra Pradesh", "38": "Ladakh",
    "97": "Other Territory" };

  /** "Karnataka (29)"; "" for no code; in `labels`' language when they name the states. */
  function stateName(code, labels) {
    var L = labels || LABELS;
    var names = L.states || STATES;
    return code ? (names[code] || STATES[code] || L.state) + " (" + code + ")" : "";
  }

  /** The page's words, in one place: `data.labels` may replace any of them (a translation). */
  var LABELS = { taxInvoice: "Tax Invoice", billOfSupply: "Bill of Supply", gstin: "GSTIN", state: "State",
    phone: "Phone", billTo: "Bill to", invoiceNo: "Invoice No.", date: "Date", placeOfSupply: "Place of supply",
    supply: "Supply", interState: "Inter-state (IGST)", intraState: "Intra-state (CGST + SGST)",
    reverseCharge: "Reverse charge", no: "No", num: "#", description: "Description", hsn: "HSN", qty: "Qty",
    rate: "Rate (\u20b9)", discount: "Discount", taxable: "Taxable value", gst: "GST", cgstSgst: "CGST / SGST",
    cgst: "CGST", sgst: "SGST", igst: "IGST", amount: "Amount (\u20b9)", totalTax: "Total tax",
    hsnSummary: "HSN summary", roundOff: "Round-off", total: "Total", inclGst: "incl. GST", less: "less",
    signatory: "Authorised signatory", forShop: "For", none: "\u2014", item: "Item",
    creditNote: "Credit Note", creditNoteNo: "Credit Note No.", againstInvoice: "Original invoice",
    invoiceDate: "Invoice date", reason: "Reason", refundedBy: "Refunded by", cash: "Cash", upi: "UPI",
    card: "Card", other: "Other",
    billDiscount: "Bill discount \u20b9 {amount}{percent}: shared over the lines before tax, included in "
      + "each line's discount.",
    dueBill: "Bill (payment due)", paid: "Paid", due: "Due", scanToPay: "Scan to pay \u20b9 {amount} with any UPI app",
    upiId: "UPI ID",
    words: "Rupees {rupees} Only", wordsPaise: "Rupees {rupees} and {paise} Paise Only", zero: "Zero",
    hundred: "Hundred", thousand: "Thousand", lakh: "Lakh", crore: "Crore", numbers: null, states: null, dateLocale: "en-IN",
    units: UNITS };

  /** A credit note drawn as an invoice of what it credits: each credited line is its invoice
   *  line (name, HSN, unit, rate, GST rate) with the credited quantity and money; the discount
   *  shown is what makes quantity × rate come to that money. Numbered and dated as the note. */
  function creditedInvoice(note, inv) {
    var lines = note.lines.map(function (cl) {
      var ln = inv.lines[cl.line_index] || { name: "#" + (cl.line_index + 1), unit: "", unit_price_paise: 0,
        gst_rate_bp: 0, price_includes_gst: true };
      var gross = Math.round(cl.qty_milli * ln.unit_price_paise / 1000);
      var net = ln.price_includes_gst === false ? cl.taxable_paise : cl.amount_paise;
      return { name: ln.name, hsn: ln.hsn, unit: ln.unit, unit_price_paise: ln.unit_price_paise,
        price_includes_gst: ln.price_includes_gst, gst_rate_bp: ln.gst_rate_bp, qty_milli: cl.qty_milli,
        discount_paise: Math.max(0, gross - net), taxable_paise: cl.taxable_paise, cgst_paise: cl.cgst_paise,
        sgst_paise: cl.sgst_paise, igst_paise: cl.igst_paise, amount_paise: cl.amount_paise };
    });
    var out = {};
    Object.keys(inv).forEach(function (k) { out[k] = inv[k]; });
    out.lines = lines; // each line's discount shown includes its bill-discount share: no note of it
    delete out.bill_discount_paise;
    delete out.bill_discount_bp;
    out.number = note.number;
    out.issued_at = note.issued_at;
    out.round_off_paise = 0;
    out.total_paise = note.total_paise;
    return out;
  }

  /** `template` with each `{name}` replaced by `values[name]`. */
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, name) { return name in values ? values[name] : all; });
  }

  /** Everything the page shows, as plain data (tested without a browser). */
  function invoiceView(data) {
    var note = data.credit_note, original = data.invoice;
    var inv = note ? creditedInvoice(note, original) : original;
    var biz = data.business || {}, customer = data.customer || {};
    // The shop as it was when the invoice was issued. An invoice issued before the snapshot
    // existed has none: its shop details come from today's business doc, which may have changed
    // since (the one case where a printed invoice can show details it was not issued with).
    var seller = inv.seller || biz;
    var L = {};
    Object.keys(LABELS).forEach(function (k) { L[k] = (data.labels && data.labels[k]) || LABELS[k]; });
    var inter = inv.supply === "inter_state";
    // Money due is printed only on `data.due`: the bill of an unpaid or partly paid sale, which is
    // what a customer who owes takes home. An issued invoice never has any (it is issued only when
    // paid in full, validators/checks.py), so it never carries a QR. The QR asks for exactly what
    // is due, and is there only when the shop has a UPI ID; the caller makes it (app/src/upi.ts),
    // as an SVG data: URL, so this page needs no QR encoder and the server's page no extra file.
    var due = data.due && data.due.due_paise > 0 ? data.due : null;
    var qr = due && due.upi && /^data:image\/svg\+xml,/.test(due.upi.qr) ? due.upi : null;
    var sums = { taxable: 0, cgst: 0, sgst: 0, igst: 0 };
    var byHsn = {}, order = [];
    var items = inv.lines.map(function (ln, i) {
      sums.taxable += ln.taxable_paise; sums.cgst += ln.cgst_paise;
      sums.sgst += ln.sgst_paise; sums.igst += ln.igst_paise;
      var key = (ln.hsn || "") + "@" + ln.gst_rate_bp;
      if (!byHsn[key]) {
        byHsn[key] = { hsn: ln.hsn || "", bp: ln.gst_rate_bp, taxable: 0, cgst: 0, sgst: 0, igst: 0 };
        order.push(key);
      }
      var h = byHsn[key];
      h.taxable += ln.taxable_paise; h.cgst += ln.cgst_paise; h.sgst += ln.sgst_paise; h.igst += ln.igst_paise;
      return {
        n: String(i + 1), name: ln.name, hsn: ln.hsn || "",
        qty: formatQty(ln.qty_milli) + " " + (L.units[ln.unit] || ln.unit),
        rate: formatRupees(ln.unit_price_paise) + (ln.price_includes_gst ? " (" + L.inclGst + ")" : ""),
        // the line's own discount and its share of the bill discount: qty × rate less this is the
        // taxable value (price before GST) or the amount (price incl. GST)
        discount: ln.discount_paise + (ln.bill_discount_paise || 0)
          ? formatRupees(ln.discount_paise + (ln.bill_discount_paise || 0)) : "",
        taxable: formatRupees(ln.taxable_paise), gst: ln.gst_rate_bp / 100 + "%",
        tax: inter ? formatRupees(ln.igst_paise) : formatRupees(ln.cgst_paise) + " / " + formatRupees(ln.sgst_paise),
        taxParts: inter ? [[L.igst, formatRupees(ln.igst_paise)]]
          : [[L.cgst, formatRupees(ln.cgst_paise)], [L.sgst, formatRupees(ln.sgst_paise)]],
        amount: formatRupees(ln.amount_paise)
      };
    });
    var lines = items.map(function (it) {
      return [it.n, it.name, it.hsn, it.qty, it.rate, it.discount || "0.00", it.taxable, it.gst, it.tax, it.amount];
    });
    var hsn = order.map(function (key) {
      var r = byHsn[key], half = r.bp / 200 + "%";
      return { hsn: r.hsn || L.none, rate: r.bp / 100 + "%", taxable: formatRupees(r.taxable),
        taxes: inter ? [[L.igst + " " + r.bp / 100 + "%", formatRupees(r.igst)]]
          : [[L.cgst + " " + half, formatRupees(r.cgst)], [L.sgst + " " + half, formatRupees(r.sgst)]],
        totalTax: formatRupees(r.cgst + r.sgst + r.igst) };
    });
    var shopState = seller.state_code || "";
    var place = inv.place_of_supply || (inter ? "" : shopState);
    var buyer = [inv.buyer_name || customer.name, inv.buyer_address, inv.customer_phone,
      inv.buyer_gstin ? L.gstin + ": " + inv.buyer_gstin : "",
      inv.place_of_supply && inv.buyer_gstin ? L.state + ": " + stateName(inv.place_of_supply, L) : ""].filter(Boolean);
    var meta = (inv.number ? [[note ? L.creditNoteNo : L.invoiceNo, inv.number]] : []).concat(
      [[L.date, formatDate(inv.issued_at, biz.timezone, L.dateLocale)]]);
    if (note) {
      meta.push([L.againstInvoice, original.number],
        [L.invoiceDate, formatDate(original.issued_at, biz.timezone, L.dateLocale)], [L.reason, note.reason]);
      if (note.refund_method) meta.push([L.refundedBy, L[note.refund_method] || note.refund_method]);
    }
    if (place) meta.push([L.placeOfSupply, stateName(place, L)]);
    meta.push([L.supply, inter ? L.interState : L.intraState], [L.reverseCharge, L.no]);
    return {
      labels: L,
      title: note ? L.creditNote : due ? L.dueBill : seller.gstin ? L.taxInvoice : L.billOfSupply,
      supplier: [seller.name, seller.address, seller.gstin ? L.gstin + ": " + seller.gstin : "",
        shopState ? L.state + ": " + stateName(shopState, L) : "", seller.phone ? L.phone + ": " + seller.phone : ""]
        .filter(Boolean),
      meta: meta,
      customer: buyer,
      head: [L.num, L.description, L.hsn, L.qty, L.rate, L.discount, L.taxable, L.gst,
        inter ? L.igst : L.cgstSgst, L.amount],
      lines: lines,
      items: items,
      billDiscount: inv.bill_discount_paise ? fill(L.billDiscount, { amount: formatRupees(inv.bill_discount_paise),
        percent: inv.bill_discount_bp ? " (" + inv.bill_discount_bp / 100 + "%)" : "" }) : "",
      hsnHead: [L.hsn, L.taxable, L.gst].concat(inter ? [L.igst] : [L.cgst, L.sgst]).concat([L.totalTax]),
      hsn: hsn,
      totals: [[L.taxable, formatRupees(sums.taxable)]].concat(inter
        ? [[L.igst, formatRupees(sums.igst)]]
        : [[L.cgst, formatRupees(sums.cgst)], [L.sgst, formatRupees(sums.sgst)]]).concat(
        (note ? [] : [[L.roundOff, formatRupees(inv.round_off_paise)]]).concat(
          [[L.total, "\u20b9 " + formatRupees(inv.total_paise)]])).concat(
        due ? [[L.paid, formatRupees(due.paid_paise)], [L.due, "\u20b9 " + formatRupees(due.due_paise)]] : []),
      pay: qr ? { image: qr.qr, caption: fill(L.scanToPay, { amount: formatRupees(due.due_paise) }),
        upiId: L.upiId + ": " + qr.vpa } : null,
      words: amountInWords(inv.total_paise, L),
      signature: L.forShop + " " + (seller.name || "") + " \u2014 " + L.signatory
    };
  }

  function el(doc, tag, text, cls) {
    var node = doc.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  /** A table cell; an amount may wrap after a digit group's comma (a <wbr>), never inside a group. */
  function cell(doc, tag, text, cls) {
    var node = el(doc, tag, undefined, cls);
    String(text).replace(/(\d,)(?=\d)/g, "$1\u0000").split("\u0000").forEach(function (part, i) {
      if (i) node.appendChild(doc.createElement("wbr"));
      node.appendChild(doc.createTextNode(part));
    });
    return node;
  }

  function table(doc, head, rows, cls) {
    var t = el(doc, "table", undefined, cls), tr = el(doc, "tr");
    if (head) {
      head.forEach(function (h) { tr.appendChild(cell(doc, "th", h)); });
      t.appendChild(tr);
    }
    rows.forEach(function (row) {
      var r = el(doc, "tr");
      row.forEach(function (text) { r.appendChild(cell(doc, "td", text)); });
      t.appendChild(r);
    });
    return t;
  }

  function row(doc, cells, cls) {
    var r = el(doc, "tr", undefined, cls);
    cells.forEach(function (c) {
      var td = cell(doc, "td", c.text, c.cls);
      if (c.span) td.colSpan = c.span;
      r.appendChild(td);
    });
    return r;
  }

  /** Receipt-style lines for narrow paper and the phone: name, then qty × rate and amount, then tax. */
  function narrowLines(doc, v) {
    var t = el(doc, "table", undefined, "lines narrow");
    v.items.forEach(function (it) {
      t.appendChild(row(doc, [{ text: it.n + ". " + it.name, span: 2, cls: "name" }], "first"));
      t.appendChild(row(doc, [{ text: it.qty + " \u00d7 " + it.rate + (it.discount ? ", " + v.labels.less + " " + it.discount : "") },
        { text: it.amount, cls: "num" }]));
      var nb = "\u00a0"; // a label stays with its figure; the line breaks between the pairs
      var tax = [v.labels.hsn + nb + (it.hsn || v.labels.none), v.labels.gst + nb + it.gst,
        v.labels.taxable + nb + it.taxable].concat(it.taxParts.map(function (p) { return p[0] + nb + p[1]; }));
      t.appendChild(row(doc, [{ text: tax.join(" \u00b7 "), span: 2, cls: "tax" }]));
    });
    return t;
  }

  function narrowHsn(doc, v) {
    var t = el(doc, "table", undefined, "hsn narrow");
    v.hsn.forEach(function (r) {
      t.appendChild(row(doc, [{ text: v.labels.hsn + " " + r.hsn + " \u00b7 " + v.labels.gst + " " + r.rate, span: 2, cls: "name" }], "first"));
      t.appendChild(row(doc, [{ text: v.labels.taxable }, { text: r.taxable, cls: "num" }]));
      r.taxes.forEach(function (p) { t.appendChild(row(doc, [{ text: p[0] }, { text: p[1], cls: "num" }])); });
    });
    return t;
  }

  var LAYOUTS = ["a4", "r80", "r58", "phone"];
  var PAGE = { a4: "@page { size: A4; margin: 12mm; }", r80: "@page { margin: 0; }", r58: "@page { margin: 0; }",
    phone: "@page { margin: 8mm; }" };

  /** One layout per width: "a4" (the full table), "r80" / "r58" (thermal receipts), "phone". */
  function setLayout(target, layout) {
    var doc = target.ownerDocument;
    layout = LAYOUTS.indexOf(layout) >= 0 ? layout : "a4";
    LAYOUTS.forEach(function (l) { target.classList.remove("layout-" + l); });
    target.classList.add("layout-" + layout);
    doc.documentElement.setAttribute("data-layout", layout);
    var style = doc.getElementById("page-size");
    if (!style) {
      style = el(doc, "style");
      style.id = "page-size";
      doc.head.appendChild(style);
    }
    style.textContent = PAGE[layout];
    return layout;
  }

  /** The layout the page's address asks for (`?layout=r58`), else by the window's width. */
  function autoLayout(win) {
    var asked = /[?&#]layout=([a-z0-9]+)/.exec((win.location && win.location.search + win.location.hash) || "");
    if (asked && LAYOUTS.indexOf(asked[1]) >= 0) return asked[1];
    return win.innerWidth && win.innerWidth < 600 ? "phone" : "a4";
  }

  /** Render `data` into `target` (a DOM element), in `layout` (default: autoLayout). */
  function render(data, target, layout) {
    var doc = target.ownerDocument, v = invoiceView(data);
    setLayout(target, layout || data.layout || autoLayout(doc.defaultView || {}));
    target.textContent = "";
    target.appendChild(el(doc, "h1", v.title));
    var parties = el(doc, "div", undefined, "parties");
    var from = el(doc, "div", undefined, "supplier");
    v.supplier.forEach(function (line, i) { from.appendChild(el(doc, i ? "div" : "strong", line)); });
    var to = el(doc, "div", undefined, "customer");
    to.appendChild(el(doc, "strong", v.labels.billTo));
    v.customer.forEach(function (line) { to.appendChild(el(doc, "div", line)); });
    parties.appendChild(from); parties.appendChild(to);
    target.appendChild(parties);
    target.appendChild(table(doc, null, v.meta, "meta"));
    target.appendChild(table(doc, v.head, v.lines, "lines wide"));
    target.appendChild(narrowLines(doc, v));
    if (v.billDiscount) target.appendChild(el(doc, "p", v.billDiscount, "bill-discount"));
    target.appendChild(el(doc, "h2", v.labels.hsnSummary));
    target.appendChild(table(doc, v.hsnHead, v.hsn.map(function (r) {
      return [r.hsn, r.taxable, r.rate].concat(r.taxes.map(function (p) { return p[1]; })).concat([r.totalTax]);
    }), "hsn wide"));
    target.appendChild(narrowHsn(doc, v));
    target.appendChild(table(doc, null, v.totals, "totals"));
    target.appendChild(el(doc, "p", v.words, "words"));
    if (v.pay) {
      var pay = el(doc, "div", undefined, "pay");
      var image = el(doc, "img");
      image.src = v.pay.image;
      image.alt = v.pay.caption;
      pay.appendChild(image);
      pay.appendChild(el(doc, "p", v.pay.caption));
      pay.appendChild(el(doc, "p", v.pay.upiId));
      target.appendChild(pay);
    }
    target.appendChild(el(doc, "p", v.signature, "signature"));
  }

  var api = { amountInWords: amountInWords, numberInWords: numberInWords, formatRupees: formatRupees,
    formatQty: formatQty, invoiceView: invoiceView, render: render, setLayout: setLayout, STATES: STATES,
    stateName: stateName, LABELS: LABELS, LAYOUTS: LAYOUTS };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  root.ShopbillPrint = api;

  if (typeof document !== "undefined") {
    var embedded = document.getElementById("invoice-data");
    var target = document.getElementById("invoice");
    if (embedded && target && embedded.textContent.trim()) render(JSON.parse(embedded.textContent), target);
  }
})(typeof window !== "undefined" ? window : globalThis);
