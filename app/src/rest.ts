/**
 * Calls to the services' REST API as this device (`Authorization: Bearer <access token>`), for
 * the screens that need the server (the shop's settings). An expired access token is renewed once
 * with the refresh token (kept in the stored login) and the call repeated. Errors are ApiError,
 * as api.ts `post`; `status` 0 means no connection.
 */
import {ApiError, refusal} from './api';
import {saveSession} from './db';
import {t} from './i18n';
import {app} from './state';

async function call(method: string, path: string, body: unknown, token: string | undefined): Promise<Response> {
  try {
    return await fetch(`/v1/${path}`, {method, body: body === undefined ? undefined : JSON.stringify(body),
      headers: {'Content-Type': 'application/json', ...(token ? {Authorization: `Bearer ${token}`} : {})}});
  } catch {
    throw new ApiError(0, 'offline', t.errors.offline);
  }
}

async function renewed(): Promise<string | undefined> {
  const session = app.session;
  if (!session?.refresh_token) {
    return undefined;
  }
  const response = await call('POST', 'token/refresh', {refresh_token: session.refresh_token}, undefined);
  if (!response.ok) {
    return undefined;
  }
  const fresh = await response.json();
  app.session = {...session, access_token: fresh.access_token, refresh_token: fresh.refresh_token};
  await saveSession(app.session);
  return fresh.access_token;
}

/** `method /v1/<path>` with this device's token (renewed once on a 401): the server's raw answer. */
export async function authedResponse(method: string, path: string, body?: unknown): Promise<Response> {
  let response = await call(method, path, body, app.session?.access_token);
  if (response.status === 401) {
    const token = await renewed();
    if (token) {
      response = await call(method, path, body, token);
    }
  }
  return response;
}

/** `method /v1/<path>` with this device's token; the answer's JSON, or ApiError. */
export async function authed(method: string, path: string, body?: unknown): Promise<any> {
  const response = await authedResponse(method, path, body);
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new ApiError(response.status, data.error ?? 'error', refusal(response, data), data.fields ?? []);
  }
  return data;
}
