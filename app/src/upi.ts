/**
 * Pay by UPI: the `upi://pay` link every UPI app opens (NPCI's UPI linking specification: payee
 * address `pa`, payee name `pn`, amount `am`, currency `cu`, note `tn`) and its QR code, drawn as
 * one SVG path. The shop's UPI ID is `business.upi_id` (validators/schemas.py `UPI_ID`). The app
 * shows the QR at the counter (ui/upi-pay.ts) and hands the same image to the printed bill
 * (print/invoice.js shows the data: URL it is given, so the print page needs no QR encoder).
 */
import qrcode from 'qrcode-generator';
import business from '../../design_docs/schemas/business.json';

/** The shape of a UPI ID, from the generated business schema (validators/schemas.py `UPI_ID`). */
export const UPI_ID_PATTERN = new RegExp(business.properties.upi_id.pattern);

/** UPI apps show at most 50 characters of a note; a longer one is cut, not refused. */
const NOTE_MAX = 50;
/** The blank margin around a QR that scanners need to find it: 4 modules (ISO/IEC 18004). */
export const QUIET_ZONE = 4;

export interface Payee {
  /** the UPI ID, e.g. `shopname@okaxis` */
  vpa: string;
  /** the shop's name, shown to the payer to confirm whom they pay */
  name: string;
}

/** A QR code as an SVG path: dark modules as unit squares in a `size` × `size` box, quiet zone included. */
export interface QrPath {
  size: number;
  path: string;
}

/** "123.45" for 12345 paise: the `am` format (two decimals, no grouping, no ₹). */
export function upiAmount(paise: number): string {
  if (!Number.isSafeInteger(paise) || paise <= 0) {
    throw new RangeError(String(paise)); // a caller's defect: amounts are whole paise above 0
  }
  return `${Math.floor(paise / 100)}.${String(paise % 100).padStart(2, '0')}`;
}

/** A query value percent-encoded as UTF-8; `@` stays as it is (RFC 3986 allows it in a query, and
 * some UPI apps read `pa` without decoding it). */
function encodeValue(value: string): string {
  return encodeURIComponent(value).replace(/%40/g, '@');
}

/** The `upi://pay` link asking `payee` for `paise`, with an optional note (cut to 50 characters). */
export function upiUrl(payee: Payee, paise: number, note = ''): string {
  const params: [string, string][] = [['pa', payee.vpa], ['pn', payee.name], ['am', upiAmount(paise)], ['cu', 'INR']];
  const shortNote = [...note.trim()].slice(0, NOTE_MAX).join('').trim();
  if (shortNote) {
    params.push(['tn', shortNote]);
  }
  return `upi://pay?${params.map(([k, v]) => `${k}=${encodeValue(v)}`).join('&')}`;
}

/** The QR modules of `text` (true = dark), error correction M (readable with 15 % of it smudged,
 * as a receipt or a cracked phone screen may be), the smallest version that holds it. `text` is
 * ASCII (upiUrl percent-encodes everything else), which the encoder's byte mode takes as it is. */
export function qrModules(text: string): boolean[][] {
  const qr = qrcode(0, 'M');
  qr.addData(text); // byte mode
  qr.make();
  const n = qr.getModuleCount();
  return Array.from({length: n}, (_, row) => Array.from({length: n}, (_, col) => qr.isDark(row, col)));
}

/** The modules as one SVG path, each run of dark modules in a row one rectangle, quiet zone around. */
export function qrPath(modules: boolean[][]): QrPath {
  const parts: string[] = [];
  modules.forEach((row, y) => {
    for (let x = 0; x < row.length; x++) {
      if (!row[x]) {
        continue;
      }
      let run = 1;
      while (row[x + run]) {
        run++;
      }
      parts.push(`M${x + QUIET_ZONE} ${y + QUIET_ZONE}h${run}v1h-${run}z`);
      x += run;
    }
  });
  return {size: modules.length + 2 * QUIET_ZONE, path: parts.join('')};
}

/** The link asking `payee` for `paise` and its QR as an image (`qrImage`). */
export function upiQr(payee: Payee, paise: number, note = ''): {url: string; image: string} {
  const url = upiUrl(payee, paise, note);
  return {url, image: qrImage(qrPath(qrModules(url)))};
}

/** The shop's payee details from its business doc, or null when it has no UPI ID. */
export function payeeOf(business: {[field: string]: any} | null | undefined): Payee | null {
  return business?.upi_id ? {vpa: business.upi_id, name: business.name ?? business.upi_id} : null;
}

/** `qr` as an SVG image in a data: URL (white behind it, so the quiet zone shows on any page; crisp
 * edges, so neighbouring modules show no seams): the app's screens and the printed bill
 * (print/invoice.js) show it as an <img>. */
export function qrImage(qr: QrPath): string {
  const box = `0 0 ${qr.size} ${qr.size}`;
  const attributes = (values: Record<string, string>) =>
    Object.entries(values).map(([name, value]) => `${name}="${value}"`).join(' ');
  const svg = `<svg ${attributes({xmlns: 'http://www.w3.org/2000/svg', viewBox: box, 'shape-rendering': 'crispEdges'})}>`
    + `<rect ${attributes({width: String(qr.size), height: String(qr.size), fill: '#fff'})}/>`
    + `<path ${attributes({d: qr.path, fill: '#000'})}/></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}
