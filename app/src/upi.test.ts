import jsQR from 'jsqr';
import {describe, expect, test} from 'vitest';
import {payeeOf, qrImage, qrModules, qrPath, QUIET_ZONE, type QrPath, upiAmount, upiUrl} from './upi';

const SHOP = {vpa: 'murugan.spares@okaxis', name: 'Sri Murugan Auto Spares'};

/** The picture an SVG path of `M x y h n v1 h-n z` runs paints, `scale` pixels a module, as RGBA. */
function paint(qr: QrPath, scale = 4): {data: Uint8ClampedArray; width: number} {
  const width = qr.size * scale;
  const data = new Uint8ClampedArray(width * width * 4).fill(255);
  for (const [, x, y, run] of qr.path.matchAll(/M(\d+) (\d+)h(\d+)v1h-\3z/g)) {
    for (let px = Number(x) * scale; px < (Number(x) + Number(run)) * scale; px++) {
      for (let py = Number(y) * scale; py < (Number(y) + 1) * scale; py++) {
        data.fill(0, (py * width + px) * 4, (py * width + px) * 4 + 3);
      }
    }
  }
  return {data, width};
}

/** What a phone's scanner reads from the printed/drawn QR of `url`. */
function scan(url: string): string | undefined {
  const {data, width} = paint(qrPath(qrModules(url)));
  return jsQR(data, width, width)?.data;
}

describe('upiAmount', () => {
  test.each([[12345, '123.45'], [1, '0.01'], [100, '1.00'], [10, '0.10'], [12345678901, '123456789.01']])(
    '%i paise is %s', (paise, text) => expect(upiAmount(paise)).toBe(text));

  test.each([0, -100, 1.5, Number.NaN])('refuses %s', (paise) => expect(() => upiAmount(paise)).toThrow(RangeError));
});

describe('upiUrl', () => {
  test('the link has the payee, name, amount, currency and note, in that order', () => {
    expect(upiUrl(SHOP, 64050, 'Bill A7/2627/000012')).toBe('upi://pay?pa=murugan.spares@okaxis'
      + '&pn=Sri%20Murugan%20Auto%20Spares&am=640.50&cu=INR&tn=Bill%20A7%2F2627%2F000012');
  });

  test('names with & = ? # + and Hindi are percent-encoded as UTF-8, so no parameter breaks', () => {
    const name = 'Sharma & Sons = शर्मा ?#+';
    const url = upiUrl({vpa: 'sharma@ybl', name}, 100, 'चाय & नाश्ता');
    const params = new URLSearchParams(url.slice('upi://pay?'.length));
    expect([...params.keys()]).toEqual(['pa', 'pn', 'am', 'cu', 'tn']);
    expect(params.get('pn')).toBe(name);
    expect(params.get('tn')).toBe('चाय & नाश्ता');
    expect(url).toContain('pn=Sharma%20%26%20Sons%20%3D%20%E0%A4%B6');
    expect(url).toMatch(/^[\x21-\x7e]+$/);
  });

  test('no note, no tn; a note is cut to 50 characters (Hindi counted by character)', () => {
    expect(upiUrl(SHOP, 100)).not.toContain('tn=');
    const note = new URLSearchParams(upiUrl(SHOP, 100, 'क'.repeat(60)).split('?')[1]).get('tn');
    expect([...note!]).toHaveLength(50);
  });

  test('a shop without a UPI ID has no payee', () => {
    expect(payeeOf({name: 'Kavya Stores'})).toBeNull();
    expect(payeeOf({name: 'Kavya Stores', upi_id: 'kavya@okicici'})).toEqual({vpa: 'kavya@okicici', name: 'Kavya Stores'});
  });
});

describe('the QR', () => {
  test('a scanner reads back the exact link, Hindi name included', () => {
    for (const url of [upiUrl(SHOP, 64050, 'Counter'), upiUrl({vpa: 'sharma@ybl', name: 'शर्मा किराना & Sons'}, 99999999, 'बकाया')]) {
      expect(scan(url)).toBe(url);
    }
  });

  test('error correction M: the format bits name level M', () => {
    const modules = qrModules(upiUrl(SHOP, 100));
    // format information, row 8 columns 0-1: the two error-correction bits, XOR-masked with 10 (M = 00)
    expect([modules[8][0], modules[8][1]]).toEqual([true, false]);
  });

  test('the image has a quiet zone of 4 white modules on every side', () => {
    const modules = qrModules(upiUrl(SHOP, 100));
    const qr = qrPath(modules);
    expect(qr.size).toBe(modules.length + 2 * QUIET_ZONE);
    const cells = [...qr.path.matchAll(/M(\d+) (\d+)h(\d+)/g)].map(([, x, y, run]) => [Number(x), Number(y), Number(run)]);
    expect(Math.min(...cells.map(([x]) => x))).toBe(QUIET_ZONE);
    expect(Math.min(...cells.map(([, y]) => y))).toBe(QUIET_ZONE);
    expect(Math.max(...cells.map(([x, , run]) => x + run))).toBe(qr.size - QUIET_ZONE);
    expect(Math.max(...cells.map(([, y]) => y + 1))).toBe(qr.size - QUIET_ZONE);
    expect(decodeURIComponent(qrImage(qr))).toContain(`viewBox="0 0 ${qr.size} ${qr.size}"`);
  });
});
