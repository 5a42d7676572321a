'use strict';

// shared/numbering.js against the golden vectors validators/numbering/ is tested with too.
// Run: `node --test tests/shared/` (tests/shared/test_numbering_js.py runs it under pytest).

const assert = require('node:assert/strict');
const path = require('node:path');
const {test} = require('node:test');
const {
  DEFAULT_TIME_ZONE, NumberingError, financialYear, nextInvoiceNumber, parseInvoiceNumber,
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
