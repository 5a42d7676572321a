/**
 * A small PDF writer (no dependency): pages of one JPEG image each (the invoice drawn on a canvas
 * by the browser, so every script and font the phone has shows as it does on screen) with an
 * invisible text layer on top (render mode 3, Helvetica) holding the same words in ASCII, so the
 * PDF can be searched and its invoice number and amounts copied. PDF 1.4, uncompressed text.
 */

export interface PdfText {
  /** left edge and top of the line, in points from the page's top-left corner */
  x: number;
  y: number;
  size: number;
  text: string;
}

export interface PdfPage {
  /** in points (A4: 595.28 × 841.89) */
  width: number;
  height: number;
  image?: {jpeg: Uint8Array; width: number; height: number};
  texts: PdfText[];
}

const REPLACE: Record<string, string> = {'₹': 'Rs.', '—': '-', '–': '-', '−': '-', '×': 'x', '·': '-', '’': "'",
  '‘': "'", '“': '"', '”': '"', '…': '...', '\u00a0': ' '};

/** `text` in printable ASCII for Helvetica: common signs spelled out, other characters left out. */
export function asciiText(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    out += code >= 32 && code < 127 ? ch : REPLACE[ch] ?? '';
  }
  return out;
}

/** A PDF literal string: `(...)` with `\`, `(` and `)` escaped. */
export function pdfString(text: string): string {
  return `(${asciiText(text).replace(/[\\()]/g, (c) => `\\${c}`)})`;
}

const num = (n: number) => (Math.round(n * 100) / 100).toString();

/** The PDF file of `pages`, titled `title` (document information). */
export function makePdf(pages: PdfPage[], title: string): Uint8Array {
  const ascii = new TextEncoder();
  const chunks: Uint8Array[] = [];
  const offsets: number[] = [];
  let length = 0;
  const put = (part: string | Uint8Array) => {
    const bytes = typeof part === 'string' ? ascii.encode(part) : part;
    chunks.push(bytes);
    length += bytes.length;
  };
  const object = (id: number, ...parts: (string | Uint8Array)[]) => {
    offsets[id] = length;
    put(`${id} 0 obj\n`);
    parts.forEach(put);
    put('\nendobj\n');
  };
  // ids: 1 catalog, 2 pages, 3 font, 4 info, then 3 per page: page, contents, image
  const pageId = (i: number) => 5 + 3 * i;
  put('%PDF-1.4\n');
  put(new Uint8Array([37, 226, 227, 207, 211, 10])); // "%âãÏÓ": marks the file as binary
  object(1, '<< /Type /Catalog /Pages 2 0 R >>');
  object(2, `<< /Type /Pages /Kids [${pages.map((_, i) => `${pageId(i)} 0 R`).join(' ')}] /Count ${pages.length} >>`);
  object(3, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  object(4, `<< /Title ${pdfString(title)} /Producer (shopbill app) /Creator (shopbill app) >>`);
  pages.forEach((page, i) => {
    const id = pageId(i);
    const ops: string[] = [];
    if (page.image) {
      ops.push(`q ${num(page.width)} 0 0 ${num(page.height)} 0 0 cm /Im0 Do Q`);
    }
    if (page.texts.length) {
      ops.push('BT 3 Tr');
      for (const t of page.texts) {
        const s = asciiText(t.text);
        if (s.trim()) {
          ops.push(`/F1 ${num(t.size)} Tf 1 0 0 1 ${num(t.x)} ${num(page.height - t.y - t.size * 0.8)} Tm ${pdfString(s)} Tj`);
        }
      }
      ops.push('ET');
    }
    const content = ascii.encode(ops.join('\n'));
    const xobject = page.image ? ` /XObject << /Im0 ${id + 2} 0 R >>` : '';
    object(id, `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${num(page.width)} ${num(page.height)}]`
      + ` /Resources << /Font << /F1 3 0 R >>${xobject} >> /Contents ${id + 1} 0 R >>`);
    object(id + 1, `<< /Length ${content.length} >>\nstream\n`, content, '\nendstream');
    if (page.image) {
      const img = page.image;
      object(id + 2, `<< /Type /XObject /Subtype /Image /Width ${img.width} /Height ${img.height}`
        + ` /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length ${img.jpeg.length} >>\nstream\n`,
      img.jpeg, '\nendstream');
    } else {
      object(id + 2, 'null');
    }
  });
  const count = pageId(pages.length);
  const xref = length;
  put(`xref\n0 ${count}\n0000000000 65535 f \n`);
  for (let id = 1; id < count; id++) {
    put(`${String(offsets[id]).padStart(10, '0')} 00000 n \n`);
  }
  put(`trailer\n<< /Size ${count} /Root 1 0 R /Info 4 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
