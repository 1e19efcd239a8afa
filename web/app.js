// app.js - the shell: hash routing (#/dashboard, #/apis, #/apis/NAME, #/findings?..,
// #/integrations), the login gate, the status line (aria-live) and focus management. A view is a
// function (main, ctx) that fills <main>; ctx carries the route's parameters and the status line.
import { token, AuthError } from './api.js';
import { h, clear } from './dom.js';
import { loginView } from './views/login.js';
import { dashboardView } from './views/dashboard.js';
import { apisView } from './views/apis.js';
import { apiView } from './views/api.js';
import { findingsView } from './views/findings.js';
import { integrationsView } from './views/integrations.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const statusEl = document.getElementById('status');
let generation = 0;

const routes = [
  { re: /^\/dashboard$/, nav: 'dashboard', view: dashboardView },
  { re: /^\/apis$/, nav: 'apis', view: apisView },
  { re: /^\/apis\/([^/]+)$/, nav: 'apis', view: apiView },
  { re: /^\/findings$/, nav: 'findings', view: findingsView },
  { re: /^\/integrations$/, nav: 'integrations', view: integrationsView },
];

function setStatus(message, kind = 'info') {
  statusEl.textContent = message || '';
  statusEl.className = `status ${message ? kind : ''}`;
}

function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/dashboard';
  const [path, query = ''] = raw.split('?');
  return { path, query: new URLSearchParams(query) };
}

function showLogin(message) {
  generation++;
  nav.hidden = true;
  document.title = 'Log in - apicensus';
  clear(main);
  loginView(main, { message, onLogin: () => { setStatus('Logged in.'); render(); } });
}

async function render() {
  const gen = ++generation;
  if (!token.get()) return showLogin();
  const { path, query } = parseHash();
  const route = routes.find((r) => r.re.test(path));
  nav.hidden = false;
  for (const a of nav.querySelectorAll('a[data-nav]')) {
    if (route && a.dataset.nav === route.nav) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  clear(main);
  main.setAttribute('aria-busy', 'true');
  main.append(h('p', { class: 'loading' }, 'Loading…'));
  const ctx = {
    params: route ? path.match(route.re).slice(1).map(decodeURIComponent) : [],
    query,
    setStatus,
    stale: () => gen !== generation,
  };
  try {
    const view = route ? route.view : notFound;
    const node = await view(ctx);
    if (gen !== generation) return;
    clear(main);
    main.append(node);
    const h1 = main.querySelector('h1');
    document.title = `${h1 ? h1.textContent : 'apicensus'} - apicensus`;
  } catch (e) {
    if (gen !== generation) return;
    if (e instanceof AuthError) return showLogin(e.message);
    clear(main);
    main.append(h('h1', null, 'Something went wrong'), h('p', { class: 'error', role: 'alert' }, e.message));
  } finally {
    if (gen === generation) main.removeAttribute('aria-busy');
  }
  // Moving between pages moves focus to the page, as a full page load would (not on first load).
  if (gen === generation && render.moved) main.focus({ preventScroll: false });
  render.moved = true;
}

async function notFound() {
  return h('div', null, h('h1', null, 'Page not found'),
    h('p', null, 'There is no page at ', h('code', null, location.hash), '. ', h('a', { href: '#/dashboard' }, 'Go to the dashboard'), '.'));
}

document.getElementById('logout').addEventListener('click', () => {
  token.clear();
  setStatus('Logged out. The token was removed from this tab.');
  history.replaceState(null, '', '#/dashboard');
  render.moved = false;
  showLogin();
});

// A view can ask for a fresh render of the current page (after a change) or a re-route.
addEventListener('hashchange', () => {
  setStatus(''); // a message belongs to the page it was said on
  render();
});
addEventListener('apicensus:auth', (ev) => {
  if (!nav.hidden) showLogin(ev.detail); // the login form reports its own refusals
});
render();
