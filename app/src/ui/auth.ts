/** Signup (phone OTP → business → password), login, and the "opened on another phone" screen. */
import {ApiError, normalisePhone, post} from '../api';
import {deviceId, saveSession} from '../db';
import {app, go, refreshState} from '../state';
import {countPending, startSync} from '../sync';
import {button, field, h, input, message, mount, select} from './dom';

export function passwordProblem(password: string): string | null {
  if (password.length < 8) {
    return 'The password needs at least 8 characters.';
  }
  if (/^\d+$/.test(password)) {
    return 'The password must not be only digits.';
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
      return msg.show('Enter a 10-digit mobile number, e.g. 98765 43210.');
    }
    if (!password.value) {
      return msg.show('Enter your password.');
    }
    try {
      await logIn(e164, password.value);
      go('bill');
    } catch (err) {
      fail(msg, err);
    }
  };
  mount('Log in', note ? h('p', {class: 'note'}, note) : null,
    field('Mobile number', phone), field('Password', password), msg,
    button('Log in', submit, {class: 'primary', 'data-testid': 'login'}),
    button('New shop? Sign up', () => go('signup'), {class: 'link'}));
}

export function signupScreen(): void {
  const phone = input('phone', {type: 'tel', inputmode: 'tel', autocomplete: 'tel', placeholder: '98765 43210'});
  const msg = message();
  const send = async () => {
    const e164 = normalisePhone(phone.value);
    if (!e164) {
      return msg.show('Enter a 10-digit mobile number, e.g. 98765 43210.');
    }
    try {
      await post('signup/otp', {phone: e164});
      otpStep(e164);
    } catch (err) {
      fail(msg, err);
    }
  };
  mount('Open your shop', h('p', {}, 'We send a 6-digit code to your mobile by SMS.'),
    field('Mobile number', phone), msg, button('Send code', send, {class: 'primary', 'data-testid': 'send-otp'}),
    button('Have a shop? Log in', () => go('login'), {class: 'link'}));
}

function otpStep(phone: string): void {
  const otp = input('otp', {inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 6});
  const msg = message();
  const verify = async () => {
    if (!/^\d{6}$/.test(otp.value.trim())) {
      return msg.show('The code has 6 digits.');
    }
    try {
      const {signup_token: token} = await post('signup/verify', {phone, otp: otp.value.trim()});
      detailsStep(phone, token);
    } catch (err) {
      fail(msg, err);
    }
  };
  mount('Enter the code', h('p', {}, `Sent to ${phone}.`), field('6-digit code', otp), msg,
    button('Verify', verify, {class: 'primary', 'data-testid': 'verify-otp'}));
}

function detailsStep(phone: string, token: string): void {
  const owner = input('owner_name', {autocomplete: 'name'});
  const name = input('business_name');
  const category = select('category', [['general_trading', 'General trading'], ['automobile', 'Automobile'],
    ['electrical', 'Electrical'], ['other', 'Other']]);
  const address = input('address');
  const password = input('new_password', {type: 'password', autocomplete: 'new-password'});
  const msg = message();
  const complete = async () => {
    const problem = !owner.value.trim() ? 'Enter your name.' : !name.value.trim() ? 'Enter the shop name.'
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
  mount('Your shop', field('Your name', owner), field('Shop name', name), field('Kind of shop', category),
    field('Address (optional)', address), field('Password (8+ characters, not only digits)', password), msg,
    button('Create shop', complete, {class: 'primary', 'data-testid': 'create-shop'}));
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
  const keep = pending
    ? `${pending} change${pending === 1 ? '' : 's'} made here (bills, items, payments) are kept safely on this phone and will be sent after you log in again.`
    : 'Everything made on this phone was already sent; nothing is lost.';
  const why = await whyRefused();
  loginScreen('');
  const screen = document.getElementById('screen')!;
  screen.prepend(h('div', {class: 'replaced', 'data-testid': 'device-replaced'},
    h('h1', {}, why === 'logged_out' ? 'This phone was logged out' : 'This shop was opened on another phone'),
    h('p', {'data-testid': 'why'}, why === 'logged_out'
      ? 'This phone was logged out of the shop account (or its password was reset), so it stopped syncing.'
      : 'Your shop account was logged in on another phone, so this phone stopped syncing.'),
    h('p', {'data-testid': 'kept'}, keep),
    h('p', {}, 'Log in again to use this phone; the other phone will then stop instead.')));
}
