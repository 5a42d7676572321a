/**
 * The shop's data on this phone: a PouchDB database in IndexedDB, the only copy until it is
 * synced. Follows the reference client (tests/client/lib/client.js): the login's answer lives in a
 * `_local` doc (never replicated); invoices are numbered by the module both share,
 * shared/numbering.js.
 */
import PouchDB from 'pouchdb-browser';
import {creditNoteSeries, issueCreditNote as issueCreditNoteIn, issueInvoice as issueNumbered} from '../../shared/numbering.js';

export {creditNoteSeries};

export type Doc = Record<string, any> & {_id: string; _rev?: string; type?: string};

export interface Session {
  couchdb: {url: string; db: string; username: string; password: string};
  device_id: string;
  invoice_series: string;
  phone: string;
  access_token?: string;
  refresh_token?: string;
}

const SESSION_DOC = '_local/session';
const DEVICE_DOC = '_local/device';

export const local = new PouchDB('shopbill', {auto_compaction: true});

export async function getLocal(id: string, fallback: Record<string, any> = {}): Promise<Doc> {
  try {
    return await local.get(id);
  } catch (err: any) {
    if (err.status === 404) {
      return {_id: id, ...fallback};
    }
    throw err;
  }
}

/** This phone's device id, made once and kept (a new login keeps it). */
export async function deviceId(): Promise<string> {
  const doc = await getLocal(DEVICE_DOC);
  if (!doc.device_id) {
    doc.device_id = `web_${crypto.randomUUID().replace(/-/g, '').slice(0, 20)}`;
    await local.put(doc);
  }
  return doc.device_id;
}

export async function loadSession(): Promise<Session | null> {
  const doc = await getLocal(SESSION_DOC);
  return doc.couchdb ? (doc as unknown as Session) : null;
}

/** Keep what the login answered; the documents stay whatever happens to the session. */
export async function saveSession(session: Session): Promise<void> {
  const doc = await getLocal(SESSION_DOC);
  await local.put({...session, _id: SESSION_DOC, _rev: doc._rev});
}

/** UTC timestamp in the schema's format (no milliseconds). */
export function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A new document of `type` with the common fields; the id is `<type>:<uuid>` unless given. */
export async function newDoc(type: string, fields: Record<string, any>, id?: string): Promise<Doc> {
  const at = now();
  return {_id: id ?? `${type}:${crypto.randomUUID()}`, type, schema_version: 1, created_at: at,
    updated_at: at, device_id: await deviceId(), ...fields};
}

/** Save a changed mutable doc (group, item, sale, customer). */
export async function update(doc: Doc, changes: Record<string, any>): Promise<Doc> {
  const next = {...doc, ...changes, updated_at: now()};
  const {rev} = await local.put(next);
  return {...next, _rev: rev};
}

export async function create(doc: Doc): Promise<Doc> {
  const {rev} = await local.put(doc);
  return {...doc, _rev: rev};
}

/** Every doc whose id starts with `prefix:`. */
export async function allOf(prefix: string): Promise<Doc[]> {
  const {rows} = await local.allDocs({include_docs: true, startkey: `${prefix}:`,
    endkey: `${prefix}:\ufff0`});
  return rows.map((row: any) => row.doc);
}

export async function getDoc(id: string): Promise<Doc | null> {
  const doc = await getLocal(id);
  return doc._rev ? doc : null;
}

/**
 * Issue the invoice of a sale: the next number of this device's series in the financial year of
 * the shop's time zone (`timeZone`, business.timezone), saved before the invoice, so a crash
 * between leaves a gap, never a duplicate number; a retry returns the invoice already issued.
 */
export async function issueInvoice(invoice: Doc, series: string, timeZone: string): Promise<Doc> {
  return issueNumbered(local, invoice, {series, timeZone});
}

/**
 * Issue a credit note made on this phone: the next number of the credit-note series of the
 * device's invoice series `series` (shared/numbering.js `creditNoteSeries`), as invoices are.
 */
export async function issueCreditNote(note: Doc, series: string, timeZone: string): Promise<Doc> {
  return issueCreditNoteIn(local, note, {series, timeZone});
}
