// api.js - the REST API as the UI calls it: the token (kept in sessionStorage, so it lives as long
// as the tab and is never sent anywhere but this server), JSON requests, and the errors a view
// shows. A 401 forgets the token and raises AuthError, which sends the user back to the login form.
const KEY = 'apicensus.token';

export const token = {
  get: () => sessionStorage.getItem(KEY),
  set: (t) => sessionStorage.setItem(KEY, t),
  clear: () => sessionStorage.removeItem(KEY),
};

export class AuthError extends Error {}

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function call(method, path, { params, body } = {}) {
  const t = token.get();
  if (!t) throw new AuthError('Log in with a token to continue.');
  const url = new URL(`/api/v1/${path}`, location.origin);
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, v);
  }
  const headers = { Authorization: `Bearer ${t}`, Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch (e) {
    throw new ApiError(0, 'The server did not answer; is apicensus serve still running?');
  }
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  const message = (data && data.error) || `${res.status} ${res.statusText}`;
  if (res.status === 401) {
    token.clear();
    const err = new AuthError(`The server refused the token (${message}). Log in again.`);
    // Views catch errors of their own actions; the shell goes back to the login form.
    dispatchEvent(new CustomEvent('apicensus:auth', { detail: err.message }));
    throw err;
  }
  if (!res.ok) throw new ApiError(res.status, message);
  return data;
}

export const get = (path, params) => call('GET', path, { params });
export const post = (path, body) => call('POST', path, { body: body ?? {} });
