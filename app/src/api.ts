/** The services' accounts API, same origin as the app: `/v1/...`. */
import {t} from './i18n';

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
    throw new ApiError(0, 'offline', t.errors.offline);
  }
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new ApiError(response.status, data.error ?? 'error', refusal(response, data), data.fields ?? []);
  }
  return data;
}

/**
 * A refused request in the owner's words, in the language in use: the catalogue's message for an
 * error code it knows; for refused fields the server's field names and words (they name what to
 * fix); else the status and the server's detail.
 */
export function refusal(response: Response, data: any): string {
  const E = t.errors;
  if (response.status === 429) {
    return E.rateLimited(response.headers.get('Retry-After'));
  }
  const known: Record<string, string> = E.codes;
  if (typeof data.error === 'string' && Object.hasOwn(known, data.error)) {
    return known[data.error];
  }
  const fields = data.fields ?? [];
  if (fields.length) {
    return E.invalid(fields.map((f: any) => `${f.field}: ${f.message}`).join('; '));
  }
  return E.other(response.status, typeof data.detail === 'string' ? data.detail : '');
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
