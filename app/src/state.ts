/** What every screen needs: the stored login, the shop (business doc) and navigation. */
import {type Doc, getDoc, loadSession, type Session} from './db';

export const app: {session: Session | null; business: Doc | null} = {session: null, business: null};

export async function refreshState(): Promise<void> {
  app.session = await loadSession();
  app.business = await getDoc('business');
}

export function go(route: string): void {
  if (location.hash === `#/${route}`) {
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    location.hash = `#/${route}`;
  }
}

/** Round-off to the rupee when the shop enabled it (business.settings.round_off). */
export function roundOffEnabled(): boolean {
  return Boolean(app.business?.settings?.round_off);
}
