/**
 * The invoice as an A4 PDF, made on the phone, offline: the printable invoice's own view
 * (print/invoice.js `invoiceView`: the same words and figures) drawn on canvases, one per page,
 * by the browser (so Hindi, Tamil and ₹ show with the phone's fonts), each page a JPEG in a PDF
 * with the same words as invisible, searchable text (pdf.ts).
 */
import {makePdf, type PdfPage, type PdfText} from './pdf';

const W = 595.28;
const H = 841.89;
const M = 36; // margin, points
const SCALE = 2; // canvas pixels per point (144 dpi)
const FONT = 'system-ui, "Noto Sans", "Noto Sans Devanagari", "Noto Sans Tamil", sans-serif';

type Align = 'left' | 'right' | 'center';
interface Column {width: number; align: Align}

class Pages {
  pages: {canvas: HTMLCanvasElement; ctx: CanvasRenderingContext2D; texts: PdfText[]}[] = [];
  y = M;

  constructor(private footer: string) {
    this.add();
  }

  get page() {
    return this.pages[this.pages.length - 1];
  }

  add(): void {
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(W * SCALE);
    canvas.height = Math.round(H * SCALE);
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.scale(SCALE, SCALE);
    ctx.textBaseline = 'top';
    this.pages.push({canvas, ctx, texts: []});
    this.y = M;
    this.text(`${this.footer} · ${this.pages.length}`, M, H - M + 12, 7, W - 2 * M, 'right', false, '#555');
  }

  font(size: number, bold = false): void {
    this.page.ctx.font = `${bold ? '600 ' : ''}${size}px ${FONT}`;
  }

  /** One line of text at (x, y), aligned within `width`. */
  text(s: string, x: number, y: number, size: number, width: number, align: Align = 'left', bold = false,
    color = '#111'): void {
    const {ctx, texts} = this.page;
    this.font(size, bold);
    ctx.fillStyle = color;
    const w = ctx.measureText(s).width;
    const left = align === 'right' ? x + width - w : align === 'center' ? x + (width - w) / 2 : x;
    ctx.fillText(s, left, y);
    texts.push({x: left, y, size, text: s});
  }

  /** `s` broken into lines no wider than `width` (at spaces, after commas and slashes, else anywhere). */
  wrap(s: string, size: number, width: number, bold = false): string[] {
    const {ctx} = this.page;
    this.font(size, bold);
    const tokens = s.match(/[^\s,/]*[\s,/]+|[^\s,/]+$/g) ?? [s];
    const lines: string[] = [];
    let line = '';
    const graphemes = (t: string) => (typeof Intl !== 'undefined' && 'Segmenter' in Intl
      ? Array.from(new (Intl as any).Segmenter().segment(t), (g: any) => g.segment as string) : Array.from(t));
    for (const token of tokens) {
      if (ctx.measureText(line + token).width <= width || !line && ctx.measureText(token.trimEnd()).width <= width) {
        line += token;
        continue;
      }
      if (line) {
        lines.push(line.trimEnd());
        line = '';
      }
      if (ctx.measureText(token.trimEnd()).width <= width) {
        line = token;
        continue;
      }
      for (const g of graphemes(token)) { // a word wider than the column
        if (line && ctx.measureText(line + g).width > width) {
          lines.push(line);
          line = '';
        }
        line += g;
      }
    }
    if (line.trimEnd() || !lines.length) {
      lines.push(line.trimEnd());
    }
    return lines;
  }

  /** Room for `height` points on this page, else a new page. */
  need(height: number): boolean {
    if (this.y + height > H - M) {
      this.add();
      return true;
    }
    return false;
  }

  paragraph(s: string, size: number, opts: {bold?: boolean; align?: Align; x?: number; width?: number} = {}): void {
    const x = opts.x ?? M;
    const width = opts.width ?? W - 2 * M;
    for (const line of this.wrap(s, size, width, opts.bold)) {
      this.need(size * 1.3);
      this.text(line, x, this.y, size, width, opts.align, opts.bold);
      this.y += size * 1.3;
    }
  }

  /** A table with borders; the head repeats on each new page. */
  table(columns: Column[], head: string[] | null, rows: string[][], size: number, boldLast = false, left = M): void {
    const pad = 3;
    const line = size * 1.25;
    const drawRow = (cells: string[], bold: boolean, shade: boolean) => {
      const wrapped = cells.map((c, i) => this.wrap(c, size, columns[i].width - 2 * pad, bold));
      const height = Math.max(...wrapped.map((w) => w.length)) * line + 2 * pad;
      const broke = this.need(height);
      if (broke && head && !shade) {
        drawRow(head, true, true);
      }
      const {ctx} = this.page;
      let x = left;
      ctx.strokeStyle = '#999';
      ctx.lineWidth = 0.5;
      columns.forEach((col, i) => {
        if (shade) {
          ctx.fillStyle = '#f0f0f0';
          ctx.fillRect(x, this.y, col.width, height);
        }
        ctx.strokeRect(x, this.y, col.width, height);
        wrapped[i].forEach((text, k) => this.text(text, x + pad, this.y + pad + k * line, size, col.width - 2 * pad,
          col.align, bold));
        x += col.width;
      });
      this.y += height;
    };
    if (head) {
      drawRow(head, true, true);
    }
    rows.forEach((r, i) => drawRow(r, boldLast && i === rows.length - 1, false));
    this.y += 6;
  }
}

/** Columns of `widths` (points; one `0` takes the rest of the page's width). */
function columns(widths: number[], aligns: Align[], total = W - 2 * M): Column[] {
  const rest = total - widths.reduce((a, b) => a + b, 0);
  return widths.map((w, i) => ({width: w || rest, align: aligns[i]}));
}

/** The PDF bytes of the invoice `view` (ShopbillPrint.invoiceView of the invoice's data). */
export async function invoicePdf(view: any, number: string): Promise<Uint8Array> {
  await document.fonts?.ready;
  const L = view.labels;
  const p = new Pages(`${view.title} ${number}`);
  p.paragraph(view.title, 16, {bold: true, align: 'center'});
  p.y += 6;
  // supplier (left) and buyer (right), side by side
  const half = (W - 2 * M - 16) / 2;
  const top = p.y;
  view.supplier.forEach((s: string, i: number) => p.paragraph(s, i ? 9 : 10, {bold: !i, width: half}));
  const leftEnd = p.y;
  const page = p.pages.length;
  p.y = top;
  p.paragraph(L.billTo, 10, {bold: true, x: M + half + 16, width: half});
  view.customer.forEach((s: string) => p.paragraph(s, 9, {x: M + half + 16, width: half}));
  p.y = p.pages.length === page ? Math.max(p.y, leftEnd) + 6 : p.y + 6;
  p.table(columns([150, 0], ['left', 'left']), null, view.meta, 9);
  const items = view.items.map((it: any) => [it.n, it.discount ? `${it.name} (${L.less} ${it.discount})` : it.name,
    it.hsn, it.qty, it.rate, it.taxable, it.gst, it.tax, it.amount]);
  const head = [view.head[0], view.head[1], view.head[2], view.head[3], view.head[4], view.head[6], view.head[7],
    view.head[8], view.head[9]];
  p.table(columns([22, 0, 42, 52, 62, 62, 28, 64, 64],
    ['left', 'left', 'left', 'right', 'right', 'right', 'right', 'right', 'right']), head, items, 8);
  if (view.billDiscount) {
    p.paragraph(view.billDiscount, 8);
    p.y += 4;
  }
  p.need(30);
  p.paragraph(L.hsnSummary, 10, {bold: true});
  const hsnRows = view.hsn.map((r: any) => [r.hsn, r.taxable, r.rate, ...r.taxes.map((t: string[]) => t[1]), r.totalTax]);
  const n = view.hsnHead.length;
  p.table(columns([60, 0, 40, ...Array(n - 4).fill(90), 90], ['left', 'right', 'right',
    ...Array(n - 4).fill('right'), 'right']), view.hsnHead, hsnRows, 8);
  p.need(view.totals.length * 16);
  p.table(columns([110, 130], ['left', 'right'], 240), null, view.totals, 9, true, W - M - 240);
  p.paragraph(view.words, 9);
  p.y += 24;
  p.paragraph(view.signature, 9, {align: 'right'});
  const pages: PdfPage[] = [];
  for (const pg of p.pages) {
    const blob = await new Promise<Blob>((resolve, reject) => pg.canvas.toBlob(
      (b) => (b ? resolve(b) : reject(new Error('canvas'))), 'image/jpeg', 0.85));
    pages.push({width: W, height: H, texts: pg.texts,
      image: {jpeg: new Uint8Array(await blob.arrayBuffer()), width: pg.canvas.width, height: pg.canvas.height}});
  }
  return makePdf(pages, `${view.title} ${number}`);
}
