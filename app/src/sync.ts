/**
 * Sync with the business database, following the reference client's rules
 * (tests/client/README.md): push then pull in one-shot replications (never PouchDB's
 * `retry: true`, which retries a 401 forever), back-off 0.5 s → 30 s on network errors, a 401
 * stops sync for good (this shop was opened on another phone) and keeps every local doc; denied
 * docs are kept and shown with the server's reason, and never block the others.
 */
import PouchDB from 'pouchdb-browser';
import {type Doc, getLocal, local, type Session} from './db';
import {kindsOf, type PendingKinds} from './pending';

const STATE_DOC = '_local/sync_state';
const PERIOD_MS = 15000;
const STALL_MS = 60000;

export interface Denied {
  id: string;
  reason: string;
}

export interface SyncStatus {
  online: boolean;
  running: boolean;
  stopped: 'unauthorized' | null;
  pending: number;
  lastSynced: string | null;
  denied: Denied[];
  notices: number;
  signedIn: boolean;
  /** The pending changes in the owner's words: bills (a sale and its invoice are one), returns, payments, the rest. */
  pendingKinds: PendingKinds;
}

export const status: SyncStatus = {online: navigator.onLine, running: false, stopped: null,
  pending: 0, lastSynced: null, denied: [], notices: 0, signedIn: false,
  pendingKinds: {bills: 0, returns: 0, payments: 0, others: 0}};

const listeners = new Set<() => void>();

export function onStatus(listener: () => void): void {
  listeners.add(listener);
}

function changed(): void {
  listeners.forEach((l) => l());
}

function openRemote(c: Session['couchdb']): any {
  // With `require_valid_user` Apache CouchDB answers a refused password with
  // `WWW-Authenticate: Basic`: a browser then holds the request for its own password prompt (a
  // headless one for ever) and the 401 never reaches sync. This header makes CouchDB name a scheme
  // browsers do not prompt for, so the 401 comes back as an answer (CORS must allow the header).
  return new PouchDB(`${c.url.replace(/\/$/, '')}/${encodeURIComponent(c.db)}`,
    {auth: {username: c.username, password: c.password}, skip_setup: true,
      headers: {'X-CouchDB-WWW-Authenticate': 'Cookie'}});
}

function isUnauthorized(err: any): boolean {
  return Boolean(err) && (err.status === 401 || String(err.name).toLowerCase() === 'unauthorized');
}

/** The server's reason, with the fields it names when it names them (our servers do). */
function deniedReason(e: any): string {
  const reason = e.message || e.reason || String(e);
  const failures = Array.isArray(e.failures) ? e.failures.slice(0, 3).map((f: any) =>
    `${(f.path ?? []).filter((p: unknown) => p !== 'newDoc').join('.')} ${f.message ?? ''}`.trim()) : [];
  return failures.length ? `${reason} (${failures.join('; ')})` : reason;
}

interface Outcome {ok: boolean; written: number; lastSeq: any; denied: Denied[]; accepted: Set<string>; error?: any}

function replicateOnce(from: any, to: any): Promise<Outcome> {
  return new Promise((resolve) => {
    const denied: Denied[] = [];
    // The ids this replication really wrote (not merely the ids changed since the last push: a doc
    // refused by an earlier push is past PouchDB's checkpoint and is not sent again).
    const accepted = new Set<string>();
    const rep = PouchDB.replicate(from, to, {batch_size: 100, retry: false});
    let stall: ReturnType<typeof setTimeout>;
    const finish = (out: Outcome): void => {
      clearTimeout(stall);
      resolve(out);
    };
    // A request that never gets an answer would hold this replication, and so every later round,
    // for ever: one that makes no progress for STALL_MS is cancelled and counts as a network error.
    const watch = (): void => {
      clearTimeout(stall);
      stall = setTimeout(() => {
        rep.cancel();
        finish({ok: false, written: 0, lastSeq: null, denied, accepted, error: new Error('sync stalled')});
      }, STALL_MS);
    };
    watch();
    rep.on('active', watch);
    rep.on('denied', (e: any) => denied.push({id: e.id, reason: deniedReason(e)}));
    rep.on('change', (info: any) => {
      watch();
      (info.docs ?? []).forEach((doc: any) => accepted.add(doc._id));
    });
    rep.on('complete', (r: any) => finish({ok: true, written: r.docs_written, lastSeq: r.last_seq, denied, accepted}));
    rep.on('error', (err: any) => finish({ok: false, written: 0, lastSeq: null, denied, accepted, error: err}));
  });
}

/** Ids of the docs changed here since the last completed push. */
async function unpushed(): Promise<Set<string>> {
  const state = await getLocal(STATE_DOC, {pushed_seq: 0});
  const {results} = await local.changes({since: state.pushed_seq});
  return new Set(results.map((r: any) => r.id));
}

/** Local changes the server does not hold: not pushed yet, or refused by it. */
export async function countPending(): Promise<number> {
  const ids = await unpushed();
  status.denied.forEach((d) => ids.add(d.id));
  status.pendingKinds = kindsOf(ids);
  return ids.size;
}


const pulledListeners = new Set<() => void>();

/** Called after a pull wrote documents to this phone (e.g. the first sync of a new phone). */
export function onPulled(listener: () => void): void {
  pulledListeners.add(listener);
}

/** Stop syncing (logout): nothing more is sent or fetched until the next login. */
export function stopSync(): void {
  session = null;
  status.signedIn = false;
  if (timer) {
    clearTimeout(timer);
    timer = null;
  }
  changed();
}

/** Notices of the server's integrity check (audit docs) that are not mere information. */
async function countNotices(): Promise<number> {
  const {rows} = await local.allDocs({startkey: 'audit:', endkey: 'audit:\ufff0', include_docs: true});
  return rows.filter((r: any) => r.doc.severity !== 'info').length;
}

async function saveState(changes: Record<string, any>): Promise<void> {
  const state = await getLocal(STATE_DOC, {pushed_seq: 0});
  await local.put({...state, ...changes});
}

let session: Session | null = null;
let timer: ReturnType<typeof setTimeout> | null = null;
let backoff = 500;
let again = false;
let onUnauthorized: () => void = () => {};

/** One round: push, pull, and push again if the pull wrote anything. */
async function round(): Promise<void> {
  if (!session || status.stopped) {
    return;
  }
  if (status.running) {
    again = true;
    return;
  }
  status.running = true;
  changed();
  const remote = openRemote(session.couchdb);
  let failure: any = null;
  let pulled = 0;
  // Whatever throws, the round ends: a `running` left set would turn away every later round.
  try {
    for (const direction of ['push', 'pull', 'push']) {
      const seq = (await local.info()).update_seq;
      const out = direction === 'push' ? await replicateOnce(local, remote) : await replicateOnce(remote, local);
      await recordDenied(out.denied, direction === 'push' ? out.accepted : new Set());
      if (!out.ok) {
        failure = out.error;
        break;
      }
      if (direction === 'push') {
        await saveState({pushed_seq: seq});
      } else if (!out.written) {
        break;
      } else {
        pulled += out.written;
      }
    }
  } catch (err) {
    failure = err;
  }
  status.running = false;
  await finishRound(failure);
  if (pulled) {
    pulledListeners.forEach((l) => l());
  }
}

async function finishRound(failure: any): Promise<void> {
  if (failure && isUnauthorized(failure)) {
    status.stopped = 'unauthorized';
    onUnauthorized();
  } else if (failure) {
    status.online = false;
    schedule(backoff);
    backoff = Math.min(backoff * 2, 30000);
  } else {
    status.online = true;
    status.lastSynced = new Date().toISOString();
    await saveState({last_synced: status.lastSynced});
    backoff = 500;
    schedule(again ? 0 : PERIOD_MS);
    again = false;
  }
  status.pending = await countPending();
  status.notices = await countNotices();
  changed();
}

/** Keep this push's refusals; a doc this push wrote (sent again, e.g. edited) is no longer refused. */
async function recordDenied(denied: Denied[], accepted: Set<string>): Promise<void> {
  const refused = new Set(denied.map((d) => d.id));
  const kept = status.denied.filter((d) => !accepted.has(d.id) || refused.has(d.id));
  if (!denied.length && kept.length === status.denied.length) {
    return;
  }
  const known = new Map(kept.map((d) => [d.id, d]));
  denied.forEach((d) => known.set(d.id, d));
  status.denied = [...known.values()];
  await saveState({denied: status.denied});
}

function schedule(delay: number): void {
  if (timer) {
    clearTimeout(timer);
  }
  timer = setTimeout(() => { timer = null; void round(); }, delay);
}

/** Start (or restart, after a new login) syncing with `s`'s credentials. */
export async function startSync(s: Session, whenUnauthorized: () => void): Promise<void> {
  session = s;
  status.signedIn = true;
  onUnauthorized = whenUnauthorized;
  status.stopped = null;
  backoff = 500;
  const state = await getLocal(STATE_DOC, {});
  status.lastSynced = state.last_synced ?? status.lastSynced;
  status.denied = state.denied ?? [];
  schedule(0);
}

/** Sync soon: called after every local write and when the browser says it is online again. */
export function syncSoon(): void {
  if (session && !status.stopped) {
    schedule(status.running ? 0 : 200);
  }
}

/** Refresh the pending count (after a local write) and sync soon. */
export async function localChanged(): Promise<void> {
  status.pending = await countPending();
  changed();
  syncSoon();
}

export async function loadStatus(): Promise<void> {
  const state = await getLocal(STATE_DOC, {});
  status.lastSynced = state.last_synced ?? null;
  status.denied = state.denied ?? [];
  status.pending = await countPending();
  status.notices = await countNotices();
  changed();
}

window.addEventListener('online', () => { status.online = true; backoff = 500; syncSoon(); changed(); });
window.addEventListener('offline', () => { status.online = false; changed(); });

export type {Doc};
