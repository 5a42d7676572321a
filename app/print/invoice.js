/* Printable GST tax invoice (CGST Rule 46): renders an invoice's JSON in the browser.
 *
 * Input `{invoice, business, customer}`: the invoice doc as issued, the shop's `business` doc and
 * the customer doc (or null). The server's `GET /v1/invoices/{sale uuid}/print` embeds it in
 * index.html in the `invoice-data` JSON script element; the app calls
 * `ShopbillPrint.render(data, element)` offline with the same data. Money is integer paise;
 * text is set with textContent only, never parsed as HTML.
 */
(function (root) {
  "use strict";

  var ONES = ["", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten",
    "Eleven", "Twelve", "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen", "Eighteen", "Nineteen"];
  var TENS = ["", "", "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety"];
  var UNITS = { pcs: "pcs", kg: "kg", g: "g", l: "l", ml: "ml", m: "m", cm: "cm", ft: "ft", sqft: "sq ft",
    box: "box", set: "set", pair: "pair", dozen: "dozen", pack: "pack", roll: "roll", bag: "bag",
    bottle: "bottle", can: "can" };

  function belowHundred(n) {
    if (n < 20) return ONES[n];
    return TENS[Math.floor(n / 10)] + (n % 10 ? "-" + ONES[n % 10] : "");
  }

  function belowThousand(n) {
    var words = [];
    if (n >= 100) words.push(ONES[Math.floor(n / 100)] + " Hundred");
    if (n % 100) words.push(belowHundred(n % 100));
    return words.join(" ");
  }

  /** A whole number in words, Indian system: crore (10^7), lakh (10^5), thousand, hundred. */
  function numberInWords(n) {
    if (n === 0) return "Zero";
    var parts = [];
    var crore = Math.floor(n / 10000000);
    var rest = n % 10000000;
    if (crore) parts.push(numberInWords(crore) + " Crore");
    var lakh = Math.floor(rest / 100000);
    if (lakh) parts.push(belowHundred(lakh) + " Lakh");
    rest %= 100000;
    var thousand = Math.floor(rest / 1000);
    if (thousand) parts.push(belowHundred(thousand) + " Thousand");
    if (rest % 1000) parts.push(belowThousand(rest % 1000));
    return parts.join(" ");
  }

  /** "Rupees Six Hundred Forty and Fifty Paise Only" for 64050 paise. */
  function amountInWords(paise) {
    var rupees = Math.floor(paise / 100);
    var rest = paise % 100;
    return "Rupees " + numberInWords(rupees) + (rest ? " and " + numberInWords(rest) + " Paise" : "") + " Only";
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
  function formatDate(stamp, timeZone) {
    var d = new Date(stamp);
    try {
      return d.toLocaleString("en-IN", { timeZone: timeZone || "Asia/Kolkata", day: "2-digit", month: "short",
        year: "numeric", hour: "2-digit", minute: "2-digit" });
    } catch (e) {
      return stamp;
    }
  }

  /** Everything the page shows, as plain data (tested without a browser). */
  function invoiceView(data) {
    var inv = data.invoice, biz = data.business || {}, customer = data.customer || {};
    var inter = inv.supply === "inter_state";
    var sums = { taxable: 0, cgst: 0, sgst: 0, igst: 0 };
    var byRate = {};
    var lines = inv.lines.map(function (ln, i) {
      sums.taxable += ln.taxable_paise; sums.cgst += ln.cgst_paise;
      sums.sgst += ln.sgst_paise; sums.igst += ln.igst_paise;
      var rate = byRate[ln.gst_rate_bp] = byRate[ln.gst_rate_bp] || { taxable: 0, cgst: 0, sgst: 0, igst: 0 };
      rate.taxable += ln.taxable_paise; rate.cgst += ln.cgst_paise;
      rate.sgst += ln.sgst_paise; rate.igst += ln.igst_paise;
      return [String(i + 1), ln.name, ln.hsn || "", formatQty(ln.qty_milli) + " " + (UNITS[ln.unit] || ln.unit),
        formatRupees(ln.unit_price_paise) + (ln.price_includes_gst ? " (incl. GST)" : ""),
        formatRupees(ln.discount_paise), formatRupees(ln.taxable_paise), ln.gst_rate_bp / 100 + "%",
        inter ? formatRupees(ln.igst_paise) : formatRupees(ln.cgst_paise) + " / " + formatRupees(ln.sgst_paise),
        formatRupees(ln.amount_paise)];
    });
    var rates = Object.keys(byRate).sort(function (a, b) { return a - b; }).map(function (bp) {
      var r = byRate[bp];
      return [bp / 100 + "%", formatRupees(r.taxable),
        inter ? "IGST " + formatRupees(r.igst) : "CGST " + formatRupees(r.cgst) + ", SGST " + formatRupees(r.sgst)];
    });
    return {
      title: biz.gstin ? "Tax Invoice" : "Invoice",
      supplier: [biz.name, biz.address, biz.gstin ? "GSTIN: " + biz.gstin : "",
        biz.state_code ? "State code: " + biz.state_code : "", biz.phone ? "Phone: " + biz.phone : ""].filter(Boolean),
      meta: [["Invoice No.", inv.number], ["Date", formatDate(inv.issued_at, biz.timezone)],
        ["Supply", inter ? "Inter-state (IGST)" : "Intra-state (CGST + SGST)"], ["Reverse charge", "No"]],
      customer: [customer.name, inv.customer_phone].filter(Boolean),
      head: ["#", "Description", "HSN", "Qty", "Rate (\u20b9)", "Discount", "Taxable value",
        "GST", inter ? "IGST" : "CGST / SGST", "Amount (\u20b9)"],
      lines: lines,
      rates: rates,
      totals: [["Taxable value", formatRupees(sums.taxable)]].concat(inter
        ? [["IGST", formatRupees(sums.igst)]]
        : [["CGST", formatRupees(sums.cgst)], ["SGST", formatRupees(sums.sgst)]]).concat(
        [["Round-off", formatRupees(inv.round_off_paise)], ["Total", "\u20b9 " + formatRupees(inv.total_paise)]]),
      words: amountInWords(inv.total_paise),
      signature: "For " + (biz.name || "") + " \u2014 Authorised signatory"
    };
  }

  function el(doc, tag, text, cls) {
    var node = doc.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function table(doc, head, rows, cls) {
    var t = el(doc, "table", undefined, cls), tr = el(doc, "tr");
    head.forEach(function (h) { tr.appendChild(el(doc, "th", h)); });
    t.appendChild(tr);
    rows.forEach(function (row) {
      var r = el(doc, "tr");
      row.forEach(function (cell) { r.appendChild(el(doc, "td", cell)); });
      t.appendChild(r);
    });
    return t;
  }

  /** Render `data` into `target` (a DOM element). */
  function render(data, target) {
    var doc = target.ownerDocument, v = invoiceView(data);
    target.textContent = "";
    target.appendChild(el(doc, "h1", v.title));
    var parties = el(doc, "div", undefined, "parties");
    var from = el(doc, "div", undefined, "supplier");
    v.supplier.forEach(function (line, i) { from.appendChild(el(doc, i ? "div" : "strong", line)); });
    var to = el(doc, "div", undefined, "customer");
    to.appendChild(el(doc, "strong", "Bill to"));
    v.customer.forEach(function (line) { to.appendChild(el(doc, "div", line)); });
    parties.appendChild(from); parties.appendChild(to);
    target.appendChild(parties);
    target.appendChild(table(doc, ["", ""], v.meta, "meta"));
    target.appendChild(table(doc, v.head, v.lines, "lines"));
    target.appendChild(table(doc, ["GST rate", "Taxable value", "Tax"], v.rates, "rates"));
    target.appendChild(table(doc, ["", ""], v.totals, "totals"));
    target.appendChild(el(doc, "p", v.words, "words"));
    target.appendChild(el(doc, "p", v.signature, "signature"));
  }

  var api = { amountInWords: amountInWords, numberInWords: numberInWords, formatRupees: formatRupees,
    formatQty: formatQty, invoiceView: invoiceView, render: render };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  root.ShopbillPrint = api;

  if (typeof document !== "undefined") {
    var embedded = document.getElementById("invoice-data");
    var target = document.getElementById("invoice");
    if (embedded && target && embedded.textContent.trim()) render(JSON.parse(embedded.textContent), target);
  }
})(typeof window !== "undefined" ? window : globalThis);
