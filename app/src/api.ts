/** The services' accounts API, same origin as the app: `/v1/...`. */

export class ApiError extends Error {
  constructor(public status: number, public code: string, message: string,
    public fields: {field: string; message: string}[] = []) {
    super(message);
  }
}

/** POST a JSON body; the answer's JSON, or ApiError with the server's plain message. */
export async function post(path: string, body: unknown, token?: string): Promise<any> {
  let response: Response;
  try {
    response = await fetch(`/v1/${path}`, {method: 'POST', body: JSON.stringify(body),
      headers: {'Content-Type': 'application/json', ...(token ? {Authorization: `Bearer ${token}`} : {})}});
  } catch {
    throw new ApiError(0, 'offline', 'No internet connection: this needs the server. Try again when online.');
  }
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const fields = data.fields ?? [];
    const detail = fields.length ? fields.map((f: any) => `${f.field}: ${f.message}`).join('; ')
      : (typeof data.detail === 'string' ? data.detail : `The server answered ${response.status}.`);
    throw new ApiError(response.status, data.error ?? 'error', explain(data.error, detail, response), fields);
  }
  return data;
}

function explain(code: string | undefined, detail: string, response: Response): string {
  if (response.status === 429) {
    const wait = response.headers.get('Retry-After');
    return `Too many tries. Please wait${wait ? ` ${wait} seconds` : ''} and try again.`;
  }
  if (code === 'already_registered') {
    return 'This phone number already has a shop. Log in instead.';
  }
  return detail;
}

/** "+919876543210" from what the owner typed (10-digit Indian mobile, or +country...); null if not a phone. */
export function normalisePhone(text: string): string | null {
  const t = text.replace(/[\s()-]/g, '');
  let e164: string;
  if (/^[6-9]\d{9}$/.test(t)) {
    e164 = `+91${t}`;
  } else if (/^0[6-9]\d{9}$/.test(t)) {
    e164 = `+91${t.slice(1)}`;
  } else if (/^91[6-9]\d{9}$/.test(t)) {
    e164 = `+${t}`;
  } else {
    e164 = t;
  }
  return /^\+[1-9]\d{6,14}$/.test(e164) && !(e164.startsWith('+91') && !/^\+91[6-9]\d{9}$/.test(e164))
    ? e164 : null;
}
