'use strict';

// shared/numbering.js against the golden vectors validators/numbering/ is tested with too.
// Run: `node --test tests/shared/` (tests/shared/test_numbering_js.py runs it under pytest).

const assert = require('node:assert/strict');
const path = require('node:path');
const {test} = require('node:test');
const {
  DEFAULT_TIME_ZONE, NumberingError, creditNoteSeries, financialYear, issueCreditNote, issueInvoice,
  nextInvoiceNumber, parseInvoiceNumber,
} = require('../../shared/numbering');

const vectors = require(path.join(__dirname, '..', '..', 'validators', 'numbering', 'vectors.json'));

for (const c of vectors.financial_year) {
  test(`financialYear ${c.issued_at} ${c.time_zone || ''}`, () => {
    assert.equal(financialYear(c.issued_at, c.time_zone || DEFAULT_TIME_ZONE), c.fy);
  });
}

for (const c of vectors.next_invoice_number) {
  test(`nextInvoiceNumber ${c.series} ${c.issued_at}`, () => {
    const call = () => nextInvoiceNumber(c.series, c.issued_at, c.last_counters,
      c.time_zone || DEFAULT_TIME_ZONE);
    if (c.error) {
      assert.throws(call, (err) => err instanceof NumberingError && err.message.includes(c.error));
    } else {
      const {number} = call();
      assert.equal(number, c.number);
      assert.ok(number.length <= 16);
    }
  });
}

for (const c of vectors.parse_invoice_number) {
  test(`parseInvoiceNumber ${JSON.stringify(c.number)}`, () => {
    assert.deepEqual(parseInvoiceNumber(c.number), c.parts);
  });
}

for (const c of vectors.credit_note_series) {
  test(`creditNoteSeries ${JSON.stringify(c.series)}`, () => {
    if (c.error) {
      assert.throws(() => creditNoteSeries(c.series), (err) => err instanceof NumberingError && err.message.includes(c.error));
    } else {
      assert.equal(creditNoteSeries(c.series), c.credit_series);
    }
  });
}

/** A PouchDB stand-in: get (404 when missing) and put, enough for the issue functions. */
function memoryDb() {
  const docs = new Map();
  return {
    async get(id) {
      if (!docs.has(id)) {
        throw Object.assign(new Error('missing'), {status: 404});
      }
      return structuredClone(docs.get(id));
    },
    async put(doc) {
      const rev = `${Number((docs.get(doc._id)?._rev || '0').split('-')[0]) + 1}-x`;
      docs.set(doc._id, {...structuredClone(doc), _rev: rev});
      return {ok: true, id: doc._id, rev};
    },
  };
}

test('credit notes are numbered consecutively in their own series, apart from invoices', async () => {
  const local = memoryDb();
  const at = '2026-11-25T10:15:00Z';
  const options = {series: '7', timeZone: DEFAULT_TIME_ZONE};
  const made = [];
  for (const id of ['invoice:a', 'credit_note:x', 'invoice:b', 'credit_note:y']) {
    const issue = id.startsWith('invoice') ? issueInvoice : issueCreditNote;
    made.push((await issue(local, {_id: id, issued_at: at}, options)).number);
  }
  assert.deepEqual(made, ['7/2627/000001', 'C007/2627/000001', '7/2627/000002', 'C007/2627/000002']);
  // a retry with the same id is the note already issued, not a new number
  assert.equal((await issueCreditNote(local, {_id: 'credit_note:x', issued_at: at}, options)).number,
    'C007/2627/000001');
});
