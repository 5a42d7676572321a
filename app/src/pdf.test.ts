import {describe, expect, test} from 'vitest';
import {asciiText, makePdf, pdfString} from './pdf';

const latin1 = (bytes: Uint8Array) => Array.from(bytes, (b) => String.fromCharCode(b)).join('');

describe('PDF writer', () => {
  const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0x28, 0x29, 0xff, 0xd9]);
  const pdf = makePdf([
    {width: 595.28, height: 841.89, image: {jpeg, width: 2, height: 3},
      texts: [{x: 36, y: 40, size: 10, text: 'Invoice No. A7/2627/000123 (copy) \\ ₹ 1,23,456.00 नारियल'}]},
    {width: 595.28, height: 841.89, texts: [{x: 36, y: 40, size: 9, text: 'page 2'}]},
  ], 'Invoice A7/2627/000123');
  const text = latin1(pdf);

  test('a PDF file with the invoice number in its text and title', () => {
    expect(text.startsWith('%PDF-1.4\n')).toBe(true);
    expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
    expect(text).toContain('(Invoice No. A7/2627/000123 \\(copy\\) \\\\ Rs. 1,23,456.00 ) Tj');
    expect(text).toContain('/Title (Invoice A7/2627/000123)');
    expect(text).toContain('/Count 2');
  });

  test('the cross-reference table points at every object', () => {
    const start = Number(/startxref\n(\d+)\n/.exec(text)![1]);
    expect(text.slice(start, start + 4)).toBe('xref');
    const [, first, count] = /^xref\n(\d+) (\d+)\n/.exec(text.slice(start))!;
    expect(Number(first)).toBe(0);
    const entries = text.slice(start).split('\n').slice(3, 2 + Number(count));
    entries.forEach((entry, i) => {
      expect(entry.length).toBe(19); // 20 bytes with the newline
      const offset = Number(entry.slice(0, 10));
      expect(text.slice(offset).startsWith(`${i + 1} 0 obj\n`)).toBe(true);
    });
  });

  test('the image bytes and stream lengths are exact', () => {
    const at = text.indexOf('/Filter /DCTDecode /Length 11 >>\nstream\n');
    expect(at).toBeGreaterThan(0);
    const body = text.indexOf('stream\n', at) + 7;
    expect(Array.from(pdf.slice(body, body + 11))).toEqual(Array.from(jpeg));
    expect(text.slice(body + 11, body + 21)).toBe('\nendstream');
  });

  test('ASCII text for Helvetica', () => {
    expect(asciiText('₹ 5 × 2 — ok')).toBe('Rs. 5 x 2 - ok');
    expect(asciiText('தேங்காய் oil')).toBe(' oil');
    expect(pdfString('a(b)c\\')).toBe('(a\\(b\\)c\\\\)');
  });
});
