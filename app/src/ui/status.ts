/** The sync bar, always visible: online/offline, pending changes, last synced, refusals, storage. */
import {zoneOf} from '../figures';
import {formatWhen, t} from '../i18n';
import {app} from '../state';
import {status} from '../sync';
import {h} from './dom';

export const storage = {persisted: true};

/** The storage warning is shown until the owner dismisses it once (kept in localStorage). */
const DISMISSED = 'shopbill.storage-warning-dismissed';

function dismissed(): boolean {
  try {
    return localStorage.getItem(DISMISSED) === '1';
  } catch {
    return false;
  }
}

function ago(iso: string): string {
  const s = Math.round((Date.now() - Date.parse(iso)) / 1000);
  return s < 60 ? t.justNow : s < 3600 ? t.minAgo(Math.round(s / 60)) : formatWhen(iso, zoneOf(app.business));
}

/** Words for a server refusal of one document. */
function deniedWords(d: {id: string; reason: string}): string {
  const kind = d.id.split(':')[0];
  const kinds: Record<string, string> = t.docKinds;
  return t.refused(kinds[kind] ?? kinds.other, d.id.slice(kind.length + 1, kind.length + 9), d.reason);
}

export function drawStatus(): void {
  const bar = document.getElementById('status')!;
  const state = status.stopped ? 'stopped' : status.online ? 'online' : 'offline';
  const words = !status.signedIn ? t.notLoggedIn : status.stopped ? t.notSyncing
    : status.online ? (status.running ? t.syncing : t.online) : t.offline;
  const k = status.pendingKinds;
  bar.dataset.state = state;
  bar.replaceChildren(
    h('div', {class: 'row'}, h('span', {'data-testid': 'sync-state'}, words),
      status.signedIn || status.pending ? h('span', {'data-testid': 'pending'},
        status.pending ? t.notSent(k) : t.allSent) : '',
      status.signedIn ? h('span', {'data-testid': 'last-synced'},
        status.lastSynced ? t.synced(ago(status.lastSynced)) : t.notSyncedYet) : ''),
    storage.persisted || dismissed() ? '' : h('p', {class: 'warn', 'data-testid': 'storage-warning'},
      t.storageWarning, ' ', h('button', {type: 'button', class: 'small dismiss', 'data-testid': 'dismiss-storage',
        onClick: () => {
          try {
            localStorage.setItem(DISMISSED, '1');
          } catch { /* private mode: shown again next time */ }
          drawStatus();
        }}, t.dismiss)),
    ...status.denied.slice(-3).map((d) => h('p', {class: 'warn', 'data-testid': 'denied'}, deniedWords(d))),
    status.notices ? h('p', {class: 'warn', 'data-testid': 'notices'}, h('a', {href: '#/today'},
      t.serverNotices(status.notices))) : '');
}
