/** Start-up: service worker, persistent storage, the stored login and sync, and the screens. */
import './style.css';
import {loadSession} from './db';
import {deviceReplaced, loginScreen, replacedScreen, signupScreen} from './ui/auth';
import {billingScreen} from './ui/billing';
import {itemsScreen} from './ui/catalog';
import {h} from './ui/dom';
import {customersScreen, duesScreen, todayScreen} from './ui/sales';
import {settingsScreen} from './ui/settings';
import {t} from './i18n/en';
import {drawStatus, storage} from './ui/status';
import {app, go, refreshState} from './state';
import {loadStatus, onStatus, startSync, status} from './sync';

const SCREENS: Record<string, () => unknown> = {
  bill: billingScreen, items: () => itemsScreen(), dues: duesScreen, today: todayScreen,
  customers: customersScreen, login: () => loginScreen(), signup: signupScreen, replaced: replacedScreen,
  settings: () => settingsScreen(),
};
const OPEN = ['login', 'signup', 'replaced'];

let routing = 0;

async function route(): Promise<void> {
  const seq = ++routing;
  // nothing of the previous screen stays tappable while this one loads
  document.getElementById('screen')!.replaceChildren(h('p', {}, 'Loading…'));
  await refreshState();
  if (seq !== routing) {
    return; // the owner went elsewhere meanwhile
  }
  let name = location.hash.replace(/^#\//, '') || 'bill';
  if (!app.session && !OPEN.includes(name)) {
    name = 'signup';
  } else if (status.stopped && !OPEN.includes(name)) {
    name = 'replaced';
  }
  document.querySelector('nav')!.hidden = !app.session;
  document.querySelectorAll('nav button').forEach((b) => b.classList.toggle('active', b.getAttribute('data-route') === name));
  await (SCREENS[name] ?? billingScreen)();
}

function nav(): HTMLElement {
  const tabs: [string, string][] = [['bill', 'Bill'], ['items', 'Items'], ['dues', 'Dues'], ['today', 'Today'],
    ['customers', 'Customers'], ['settings', t.nav.settings]];
  return h('nav', {}, ...tabs.map(([r, label]) => h('button', {type: 'button', 'data-route': r,
    'data-testid': `nav-${r}`, onClick: () => go(r)}, label)));
}

async function askPersistentStorage(): Promise<void> {
  if (navigator.storage?.persist) {
    storage.persisted = await navigator.storage.persisted() || await navigator.storage.persist();
  } else {
    storage.persisted = false;
  }
  drawStatus();
}

async function start(): Promise<void> {
  document.getElementById('nav')!.replaceWith(nav());
  onStatus(drawStatus);
  window.addEventListener('hashchange', () => void route());
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('sw.js').catch((err) => console.warn('service worker:', err));
  }
  await loadStatus();
  await askPersistentStorage();
  const session = await loadSession();
  if (session) {
    await startSync(session, deviceReplaced);
  }
  await route();
  setInterval(drawStatus, 30000);
}

void start();
