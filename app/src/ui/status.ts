/** The sync bar, always visible: online/offline, pending changes, last synced, refusals, storage. */
import {zoneOf} from '../figures';
import {app} from '../state';
import {status} from '../sync';
import {h} from './dom';

export const storage = {persisted: true};

function ago(iso: string | null): string {
  if (!iso) {
    return 'never';
  }
  const s = Math.round((Date.now() - Date.parse(iso)) / 1000);
  return s < 60 ? 'just now' : s < 3600 ? `${Math.round(s / 60)} min ago`
    : new Date(iso).toLocaleString('en-IN', {timeZone: zoneOf(app.business), day: '2-digit', month: 'short',
      hour: '2-digit', minute: '2-digit'});
}

/** Words for a server refusal of one document. */
function deniedWords(d: {id: string; reason: string}): string {
  const kind = d.id.split(':')[0];
  const what = kind === 'item' || kind === 'group' ? `an ${kind === 'item' ? 'item' : 'item group'}` : `a ${kind}`;
  return `The server refused ${what} (${d.id.slice(kind.length + 1, kind.length + 9)}…): ${d.reason}. It stays on this phone, and the rest still syncs; edit it to send it again.`;
}

export function drawStatus(): void {
  const bar = document.getElementById('status')!;
  const state = status.stopped ? 'stopped' : status.online ? 'online' : 'offline';
  const words = !status.signedIn ? 'Not logged in: nothing to sync yet' : status.stopped ? 'Not syncing: log in again'
    : status.online ? (status.running ? 'Online · syncing…' : 'Online') : 'Offline — bills are saved on this phone';
  bar.dataset.state = state;
  bar.replaceChildren(
    h('div', {class: 'row'}, h('span', {'data-testid': 'sync-state'}, words),
      h('span', {'data-testid': 'pending'}, status.pending ? `${status.pending} not sent yet` : 'All sent'),
      h('span', {'data-testid': 'last-synced'}, `Synced ${ago(status.lastSynced)}`)),
    storage.persisted ? '' : h('p', {class: 'warn', 'data-testid': 'storage-warning'},
      'Storage is not guaranteed here: the browser may clear bills not yet sent. Go online often.'),
    ...status.denied.slice(-3).map((d) => h('p', {class: 'warn', 'data-testid': 'denied'}, deniedWords(d))),
    status.notices ? h('p', {class: 'warn', 'data-testid': 'notices'}, h('a', {href: '#/today'},
      `${status.notices} notice${status.notices === 1 ? '' : 's'} from the server's check of your records: see Today.`)) : '');
}
