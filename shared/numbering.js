'use strict';

// GST invoice numbers, made on the device while offline: `<series>/<FY>/<counter>`,
// e.g. `A7/2526/000123`. The one JavaScript owner of numbering: the shop app (app/src/db.ts,
// bundled by Vite) and the reference client (tests/client/lib/client.js, plain Node) both import
// this file, so it is CommonJS and needs no package of its own. It mirrors the Python owner,
// validators/numbering/; both are tested against validators/numbering/vectors.json
// (tests/shared/numbering.test.js and tests/validators/test_numbering.py).
//
// - series: 1-4 characters [A-Z0-9], handed to the device at login (a new login gets a new
//   series, so an old phone's unsynced invoices never collide with the new phone's);
// - FY: the Indian financial year (1 April - 31 March) of the issue date *in the business's
//   time zone*, as two two-digit years: 2025-04-01 .. 2026-03-31 -> "2526";
// - counter: 000001 .. 999999, consecutive within the series, restarting at 1 each FY.
// The longest number is 4 + 1 + 4 + 1 + 6 = 16 characters (CGST Rule 46(b): at most 16).
// Credit notes made on the device have a consecutive series of their own (CGST Rule 53):
// `creditNoteSeries`, "C" and the invoice series padded to 3 characters ("7" -> "C007"), which no
// invoice series (at most 3 characters) and no server series (a leading "0") can be
// (validators/numbering/series.py owns the rule).

const DEFAULT_TIME_ZONE = 'Asia/Kolkata';
const SERIES_RE = /^[A-Z0-9]{1,4}$/;
const NUMBER_RE = /^([A-Z0-9]{1,4})\/([0-9]{4})\/([0-9]{6})$/;
const MAX_COUNTER = 999999;
const OFFSET_RE = /T.*(?:Z|[+-][0-9]{2}:[0-9]{2})$/i;

const DEVICE_SERIES_MAX = 3;

class NumberingError extends Error {}

/** The credit-note series of the device invoice series `series` ("7" -> "C007"). */
function creditNoteSeries(series) {
  if (!SERIES_RE.test(series) || series.length > DEVICE_SERIES_MAX) {
    throw new NumberingError(
      `credit notes need a device series of 1-${DEVICE_SERIES_MAX} characters: ${JSON.stringify(series)}`);
  }
  return 'C' + series.padStart(DEVICE_SERIES_MAX, '0');
}

/** The financial year code ("2526") of an instant (Date or RFC 3339 string) in `timeZone`. */
function financialYear(issuedAt, timeZone = DEFAULT_TIME_ZONE) {
  if (!(issuedAt instanceof Date) && !OFFSET_RE.test(String(issuedAt))) {
    // like Python, refuse a time without an offset: which day it is would depend on the phone
    throw new NumberingError(`issued_at has no UTC offset: ${JSON.stringify(issuedAt)}`);
  }
  const instant = issuedAt instanceof Date ? issuedAt : new Date(issuedAt);
  if (Number.isNaN(instant.getTime())) {
    throw new NumberingError(`issued_at is not a date: ${JSON.stringify(issuedAt)}`);
  }
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, year: 'numeric', month: 'numeric',
  }).formatToParts(instant);
  const year = Number(parts.find((p) => p.type === 'year').value);
  const month = Number(parts.find((p) => p.type === 'month').value);
  const start = month >= 4 ? year : year - 1;
  const two = (y) => String(y % 100).padStart(2, '0');
  return two(start) + two(start + 1);
}

/** `<series>/<fy>/<counter>` with the counter zero-padded to 6 digits. */
function formatInvoiceNumber(series, fy, counter) {
  if (!SERIES_RE.test(series)) {
    throw new NumberingError(`series must be 1-4 characters A-Z 0-9: ${JSON.stringify(series)}`);
  }
  if (!/^[0-9]{4}$/.test(fy)) {
    throw new NumberingError(`financial year must be 4 digits: ${JSON.stringify(fy)}`);
  }
  if (!Number.isInteger(counter) || counter < 1 || counter > MAX_COUNTER) {
    throw new NumberingError(`counter must be 1..${MAX_COUNTER}: ${counter}`);
  }
  return `${series}/${fy}/${String(counter).padStart(6, '0')}`;
}

/** {series, fy, counter} of a well-formed number, or null. */
function parseInvoiceNumber(number) {
  const match = NUMBER_RE.exec(number);
  if (!match || Number(match[3]) < 1) {
    return null;
  }
  return {series: match[1], fy: match[2], counter: Number(match[3])};
}

/**
 * The next number of `series` for an invoice issued at `issuedAt`.
 * `lastCounters` maps FY code -> last counter issued in that FY (missing: none yet), so a
 * device whose clock steps back into the previous FY still never repeats a number.
 * Returns {number, fy, counter}; the caller records `counter` under `fy` before using it.
 */
function nextInvoiceNumber(series, issuedAt, lastCounters = {}, timeZone = DEFAULT_TIME_ZONE) {
  const fy = financialYear(issuedAt, timeZone);
  const counter = (lastCounters[fy] || 0) + 1;
  return {number: formatInvoiceNumber(series, fy, counter), fy, counter};
}

// Where a device keeps its counters: a `_local` doc never replicates, so each phone's counters
// stay its own. `{counters: {<series>: {<FY>: <last counter>}}}`.
const NUMBERING_DOC = '_local/invoice_numbering';

/**
 * Give `doc` (an invoice or a credit note with its id and `issued_at` set) the next number of
 * `series` and store it in the PouchDB database `local`; the stored doc is returned.
 * A retry with the same id returns the doc already issued instead of a second one (an invoice's
 * id names its sale). The counter is saved before the doc: a crash in between leaves a gap
 * (reported by the auditor), never a duplicate number. `timeZone` is the business's
 * (business.timezone).
 */
async function issueNumbered(local, doc, {series, timeZone = DEFAULT_TIME_ZONE}) {
  const existing = await getOrNull(local, doc._id);
  if (existing) {
    return existing;
  }
  const numbering = (await getOrNull(local, NUMBERING_DOC)) || {_id: NUMBERING_DOC, counters: {}};
  const counters = numbering.counters[series] || {};
  const next = nextInvoiceNumber(series, doc.issued_at, counters, timeZone);
  numbering.counters[series] = {...counters, [next.fy]: next.counter};
  await local.put(numbering);
  const issued = {...doc, number: next.number};
  const {rev} = await local.put(issued);
  return {...issued, _rev: rev};
}

/** Issue `invoice` (id `invoice:<sale uuid>`) in the device's invoice series `series`. */
function issueInvoice(local, invoice, {series, timeZone = DEFAULT_TIME_ZONE}) {
  return issueNumbered(local, invoice, {series, timeZone});
}

/** Issue `note` (id `credit_note:<uuid>`) in the credit-note series of the device series `series`. */
function issueCreditNote(local, note, {series, timeZone = DEFAULT_TIME_ZONE}) {
  return issueNumbered(local, note, {series: creditNoteSeries(series), timeZone});
}

async function getOrNull(local, id) {
  try {
    return await local.get(id);
  } catch (err) {
    if (err.status === 404) {
      return null;
    }
    throw err;
  }
}

module.exports = {
  DEFAULT_TIME_ZONE, NumberingError, financialYear, formatInvoiceNumber, parseInvoiceNumber,
  nextInvoiceNumber, issueInvoice, creditNoteSeries, issueCreditNote,
};
