/** Signup (phone OTP → business → password), login, and the "opened on another phone" screen. */
import {ApiError, normalisePhone, post} from '../api';
import {t} from '../i18n';
import {deviceId, saveSession} from '../db';
import {app, go, refreshState} from '../state';
import {countPending, startSync} from '../sync';
import {button, field, h, input, message, mount, select} from './dom';
import {languageSwitch} from './language';

export function passwordProblem(password: string): string | null {
  if (password.length < 8) {
    return t.auth.passwordShort;
  }
  if (/^\d+$/.test(password)) {
    return t.auth.passwordDigits;
  }
  return null;
}

/** Log in with phone and password, keep the login on the phone, start syncing. */
export async function logIn(phone: string, password: string): Promise<void> {
  const answer = await post('login', {phone, password, device_id: await deviceId(),
    device_name: navigator.userAgent.slice(0, 60)});
  await saveSession({couchdb: answer.couchdb, device_id: answer.device_id,
    invoice_series: answer.invoice_series, phone, access_token: answer.access_token,
    refresh_token: answer.refresh_token});
  await refreshState();
  await startSync(app.session!, deviceReplaced);
}

function fail(msg: ReturnType<typeof message>, err: unknown): void {
  msg.show(err instanceof ApiError || err instanceof Error ? err.message : String(err));
}

export function loginScreen(note = ''): void {
  const phone = input('phone', {type: 'tel', inputmode: 'tel', autocomplete: 'tel', placeholder: '98765 43210',
    value: app.session?.phone ?? ''});
  const password = input('password', {type: 'password', autocomplete: 'current-password'});
  const msg = message();
  const submit = async () => {
    const e164 = normalisePhone(phone.value);
    if (!e164) {
      return msg.show(t.auth.errMobile);
    }
    if (!password.value) {
      return msg.show(t.auth.errPassword);
    }
    try {
      await logIn(e164, password.value);
      go('bill');
    } catch (err) {
      fail(msg, err);
    }
  };
  mount(t.auth.logIn, note ? h('p', {class: 'note'}, note) : null,
    field(t.auth.mobile, phone), field(t.auth.password, password), msg,
    button(t.auth.logIn, submit, {class: 'primary', 'data-testid': 'login'}),
    button(t.auth.toSignup, () => go('signup'), {class: 'link'}), languageSwitch());
}

export function signupScreen(): void {
  const phone = input('phone', {type: 'tel', inputmode: 'tel', autocomplete: 'tel', placeholder: '98765 43210'});
  const msg = message();
  const send = async () => {
    const e164 = normalisePhone(phone.value);
    if (!e164) {
      return msg.show(t.auth.errMobile);
    }
    try {
      await post('signup/otp', {phone: e164});
      otpStep(e164);
    } catch (err) {
      fail(msg, err);
    }
  };
  mount(t.auth.signupTitle, h('p', {}, t.auth.smsNote),
    field(t.auth.mobile, phone), msg, button(t.auth.sendCode, send, {class: 'primary', 'data-testid': 'send-otp'}),
    button(t.auth.toLogin, () => go('login'), {class: 'link'}), languageSwitch());
}

function otpStep(phone: string): void {
  const otp = input('otp', {inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 6});
  const msg = message();
  const verify = async () => {
    if (!/^\d{6}$/.test(otp.value.trim())) {
      return msg.show(t.auth.errOtp);
    }
    try {
      const {signup_token: token} = await post('signup/verify', {phone, otp: otp.value.trim()});
      detailsStep(phone, token);
    } catch (err) {
      fail(msg, err);
    }
  };
  mount(t.auth.otpTitle, h('p', {}, t.auth.sentTo(phone)), field(t.auth.otp, otp), msg,
    button(t.auth.verify, verify, {class: 'primary', 'data-testid': 'verify-otp'}));
}

function detailsStep(phone: string, token: string): void {
  const owner = input('owner_name', {autocomplete: 'name'});
  const name = input('business_name');
  const category = select('category', Object.entries(t.auth.categories));
  const address = input('address');
  const password = input('new_password', {type: 'password', autocomplete: 'new-password'});
  const msg = message();
  const complete = async () => {
    const problem = !owner.value.trim() ? t.auth.errOwner : !name.value.trim() ? t.auth.errShop
      : passwordProblem(password.value);
    if (problem) {
      return msg.show(problem);
    }
    const business: Record<string, string> = {name: name.value.trim(), category: category.value};
    if (address.value.trim()) {
      business.address = address.value.trim();
    }
    try {
      await post('signup/complete', {signup_token: token, password: password.value,
        owner_name: owner.value.trim(), business});
      await logIn(phone, password.value);
      go('items');
    } catch (err) {
      fail(msg, err);
    }
  };
  mount(t.auth.detailsTitle, field(t.auth.ownerName, owner), field(t.auth.shopName, name),
    field(t.auth.category, category), field(t.auth.address, address), field(t.auth.newPassword, password), msg,
    button(t.auth.createShop, complete, {class: 'primary', 'data-testid': 'create-shop'}));
}

/** Ask the services why this phone's access ends: "replaced" (a login elsewhere) or "logged_out". */
async function whyRefused(): Promise<'replaced' | 'logged_out'> {
  const token = app.session?.refresh_token;
  if (!token) {
    return 'replaced';
  }
  try {
    const fresh = await post('token/refresh', {refresh_token: token});
    await saveSession({...app.session!, access_token: fresh.access_token, refresh_token: fresh.refresh_token});
    return 'replaced'; // tokens still live: the CouchDB credentials were rotated by a login elsewhere
  } catch (err) {
    return err instanceof ApiError && err.status === 401 && err.code !== 'device_replaced' ? 'logged_out' : 'replaced';
  }
}

/** Sync got 401: say why in plain words, keep everything, offer to log in again. */
export function deviceReplaced(): void {
  go('replaced');
}

export async function replacedScreen(): Promise<void> {
  const pending = await countPending();
  const keep = pending ? t.auth.kept(pending) : t.auth.nothingLost;
  const why = await whyRefused();
  loginScreen('');
  const screen = document.getElementById('screen')!;
  screen.prepend(h('div', {class: 'replaced', 'data-testid': 'device-replaced'},
    h('h1', {}, why === 'logged_out' ? t.auth.loggedOutTitle : t.auth.replacedTitle),
    h('p', {'data-testid': 'why'}, why === 'logged_out' ? t.auth.loggedOutWhy : t.auth.replacedWhy),
    h('p', {'data-testid': 'kept'}, keep),
    h('p', {}, t.auth.loginAgain)));
}
