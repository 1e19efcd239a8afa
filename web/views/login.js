// views/login.js - the login form: a token (from `apicensus token create`), checked against the
// server before it is kept in sessionStorage.
import { token, get, AuthError } from '../api.js';
import { h, clear } from '../dom.js';

export function loginView(main, { message, onLogin }) {
  const error = h('p', { id: 'login-error', class: 'error', role: 'alert' }, message || '');
  const input = h('input', {
    id: 'token', name: 'token', type: 'password', autocomplete: 'off', spellcheck: 'false',
    required: true, 'aria-describedby': 'token-help login-error',
  });
  const button = h('button', { type: 'submit' }, 'Log in');
  const form = h('form', { class: 'login', novalidate: true },
    h('h1', null, 'Log in'),
    h('p', null, 'apicensus keeps an inventory of your organisation\'s APIs. Log in with an API token.'),
    h('label', { for: 'token' }, 'API token'),
    input,
    h('p', { id: 'token-help', class: 'help' },
      'Make one with ', h('code', null, 'apicensus token create --role viewer'),
      ' (editor to accept findings). It is kept only in this tab and removed when you log out or close it.'),
    error, button);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const value = input.value.trim();
    if (!value) {
      error.textContent = 'Enter a token.';
      input.focus();
      return;
    }
    button.disabled = true;
    error.textContent = '';
    token.set(value);
    try {
      await get('rules');
      onLogin();
    } catch (e) {
      token.clear();
      error.textContent = e instanceof AuthError ? 'The server did not accept this token.' : e.message;
      input.focus();
      input.select();
    } finally {
      button.disabled = false;
    }
  });
  clear(main).append(form);
  input.focus();
}
