/** The owner's screen: password change (REST), data export (CSV from REST, or local JSON offline), logout. */
import {ApiError, refusal} from '../api';
import {local, saveSession} from '../db';
import {authedResponse} from '../rest';
import {t} from '../i18n';
import {app, go, refreshState} from '../state';
import {countPending, startSync, status, stopSync} from '../sync';
import {passwordProblem, deviceReplaced} from './auth';
import {button, field, h, input, message, mount} from './dom';
import {languageSwitch} from './language';

/** The server's refusal in words. */
async function explainFailure(response: Response): Promise<string> {
  const data = await response.json().catch(() => ({}));
  // only the password change answers invalid_credentials: its current password is wrong
  return data.error === 'invalid_credentials' ? t.errors.wrongPassword : refusal(response, data);
}

/** What went wrong, in the owner's words: no connection is said plainly. */
function said(err: unknown): string {
  return err instanceof ApiError && err.status === 0 ? t.needsOnline : err instanceof Error ? err.message : String(err);
}

function download(name: string, blob: Blob): void {
  const a = h('a', {href: URL.createObjectURL(blob), download: name}) as HTMLAnchorElement;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

export function ownerScreen(): void {
  const oldPw = input('old_password', {type: 'password', autocomplete: 'current-password'});
  const newPw = input('new_password', {type: 'password', autocomplete: 'new-password'});
  const pwMsg = message();
  const exportMsg = message();
  const outMsg = message();
  pwMsg.dataset.testid = 'password-message';
  exportMsg.dataset.testid = 'export-message';
  outMsg.dataset.testid = 'logout-message';

  const change = async () => {
    const problem = !oldPw.value ? t.errOldPassword : passwordProblem(newPw.value);
    if (problem) {
      return pwMsg.show(problem);
    }
    try {
      const response = await authedResponse('POST', 'password/change',
        {old_password: oldPw.value, new_password: newPw.value});
      if (!response.ok) {
        return pwMsg.show(await explainFailure(response));
      }
      // the answer is a fresh login: the credentials were rotated, sync goes on with the new ones
      const answer = await response.json();
      await saveSession({...app.session!, couchdb: answer.couchdb, device_id: answer.device_id ?? app.session!.device_id,
        invoice_series: answer.invoice_series ?? app.session!.invoice_series,
        access_token: answer.access_token, refresh_token: answer.refresh_token});
      await refreshState();
      await startSync(app.session!, deviceReplaced);
      oldPw.value = '';
      newPw.value = '';
      pwMsg.show(t.passwordChanged, 'ok');
    } catch (err) {
      pwMsg.show(said(err));
    }
  };

  const exportData = async () => {
    const day = new Date().toISOString().slice(0, 10);
    try {
      const response = await authedResponse('GET', 'exports/invoices.csv');
      if (!response.ok) {
        return exportMsg.show(await explainFailure(response));
      }
      const name = `invoices-${day}.csv`;
      download(name, await response.blob());
      exportMsg.show(t.exported(name), 'ok');
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 0) {
        return exportMsg.show(said(err));
      }
      // offline: everything on this phone (no _local docs: logins and counters stay private)
      const {rows} = await local.allDocs({include_docs: true});
      const docs = rows.map((r: any) => r.doc).filter((d: any) => !d._id.startsWith('_'));
      const name = `shop-data-${day}.json`;
      download(name, new Blob([JSON.stringify({exported_at: new Date().toISOString(), docs}, null, 1)],
        {type: 'application/json'}));
      exportMsg.show(t.exported(name), 'ok');
    }
  };

  const logOut = async () => {
    const pending = await countPending();
    if (pending) {
      const k = status.pendingKinds;
      return outMsg.show(t.logOutBlocked(t.notSent(k)));
    }
    try {
      const response = await authedResponse('POST', 'logout');
      if (!response.ok && response.status !== 401) {
        return outMsg.show(await explainFailure(response));
      }
    } catch (err) {
      return outMsg.show(said(err));
    }
    // everything was sent: this phone's copy of the shop goes with the login
    stopSync();
    await local.destroy();
    location.hash = '#/login';
    location.reload();
  };

  mount(t.ownerTitle, app.session ? h('p', {class: 'note', 'data-testid': 'logged-in-as'},
    t.loggedInAs(app.session.phone.replace(/^\+91/, ''))) : null,
  h('section', {'data-testid': 'language-section'}, languageSwitch()),
  h('section', {}, h('h2', {}, t.settings.title), h('p', {class: 'note'}, t.settings.intro),
    button(t.settings.title, () => go('settings'), {'data-testid': 'open-settings'})),
  h('section', {'data-testid': 'password-section'}, h('h2', {}, t.changePassword),
    field(t.oldPassword, oldPw), field(t.newPassword, newPw), pwMsg,
    button(t.changePassword, () => void change(), {class: 'primary', 'data-testid': 'change-password'})),
  h('section', {}, h('h2', {}, t.exportData), h('p', {class: 'note'}, t.exportHelp), exportMsg,
    button(t.exportData, () => void exportData(), {'data-testid': 'export-data'})),
  h('section', {}, h('h2', {}, t.logOut), h('p', {class: 'note'}, t.logOutHelp), outMsg,
    button(t.logOut, () => void logOut(), {'data-testid': 'logout'})),
  button(t.back, () => go('bill'), {class: 'link'}));
}
