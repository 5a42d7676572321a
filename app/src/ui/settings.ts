/**
 * The shop's settings (GET/PATCH /v1/business, needs the internet): name, address, GSTIN, state,
 * round-off and the UPI ID (a pay QR at the counter and on a bill with money due), all printed on
 * or used by the invoice. The UPI ID is checked against the schema's own pattern. The GSTIN is
 * checked here as the server checks it (format, check character, state = its first two digits);
 * the server's answer decides.
 * The saved doc reaches this phone by sync (started at once).
 */
import {ApiError} from '../api';
import {cleanGstin, gstinProblem, stateLabel, stateOptions} from '../gst';
import {fill, t} from '../i18n';
import {authed} from '../rest';
import {app, refreshState} from '../state';
import {syncSoon} from '../sync';
import {UPI_ID_PATTERN} from '../upi';
import {button, field, h, input, message, mount, screenMark, select} from './dom';


export async function settingsScreen(notice = ''): Promise<void> {
  const S = t.settings;
  mount(S.title, h('p', {class: 'note'}, S.loading));
  const here = screenMark();
  let business: Record<string, any>;
  let offline = false;
  try {
    business = await authed('GET', 'business');
  } catch (err) {
    offline = true;
    business = app.business ?? {};
    if (err instanceof ApiError && err.status === 401) {
      notice = S.loginAgain;
    } else if (!notice) {
      notice = S.offline;
    }
  }
  if (!here()) {
    return;
  }
  const name = input('shop_name', {value: business.name ?? '', maxlength: '100', autocomplete: 'organization'});
  const address = h('textarea', {name: 'shop_address', 'data-testid': 'shop_address', rows: '3', maxlength: '300'},
  ) as HTMLTextAreaElement;
  address.value = business.address ?? '';
  const gstin = input('shop_gstin', {value: business.gstin ?? '', placeholder: S.gstinPlaceholder,
    autocapitalize: 'characters', autocomplete: 'off', spellcheck: 'false', maxlength: '20'});
  const state = select('shop_state', [['', S.noState], ...stateOptions()], business.state_code ?? '');
  const upiId = input('shop_upi_id', {value: business.upi_id ?? '', placeholder: S.upiPlaceholder,
    autocapitalize: 'none', autocomplete: 'off', spellcheck: 'false', maxlength: '320', inputmode: 'email'});
  const roundOff = h('input', {type: 'checkbox', name: 'round_off', 'data-testid': 'round_off',
    checked: Boolean(business.settings?.round_off)}) as HTMLInputElement;
  const msg = message();
  gstin.addEventListener('input', () => {
    msg.show('');
    const code = cleanGstin(gstin.value).slice(0, 2);
    if (/^\d\d$/.test(code) && stateOptions().some(([c]) => c === code)) {
      state.value = code; // a GSTIN's first two digits are its state
    }
  });

  const problem = (): string | null => {
    if (!name.value.trim()) {
      return S.nameRequired;
    }
    const g = cleanGstin(gstin.value);
    if (g) {
      const wrong = gstinProblem(g);
      if (wrong) {
        return wrong;
      }
      if (state.value !== g.slice(0, 2)) {
        return fill(S.gstinState, {code: g.slice(0, 2), state: stateLabel(g.slice(0, 2))});
      }
    }
    if (upiId.value.trim() && !UPI_ID_PATTERN.test(upiId.value.trim())) {
      return S.upiFormat;
    }
    return null;
  };

  const save = async () => {
    const wrong = problem();
    if (wrong) {
      return msg.show(wrong);
    }
    const mark = screenMark();
    try {
      await authed('PATCH', 'business', {rev: business._rev, name: name.value.trim(),
        address: address.value.trim(), gstin: cleanGstin(gstin.value), state_code: state.value,
        upi_id: upiId.value.trim(), round_off: roundOff.checked});
      syncSoon(); // the phone's copy follows by sync
      await refreshState();
      if (mark()) {
        await settingsScreen(S.saved);
      }
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        return settingsScreen(S.stale);
      }
      msg.show(err instanceof ApiError && err.status === 0 ? S.offline : err instanceof Error ? err.message : String(err));
    }
  };

  mount(S.title, h('p', {class: 'note'}, S.intro),
    field(S.name, name), field(S.address, address), field(S.gstin, gstin), field(S.state, state),
    field(S.upiId, upiId),
    h('label', {class: 'check'}, roundOff, h('span', {}, S.roundOff)), msg,
    button(S.save, save, {class: 'primary', 'data-testid': 'save-settings', disabled: offline}));
  if (notice) {
    msg.show(notice, notice === S.saved ? 'ok' : 'error');
  }
}
