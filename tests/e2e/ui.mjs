#!/usr/bin/env node
// ui.mjs - the web UI end to end: a store built from examples/acme, `apicensus serve` on
// 127.0.0.1 (a free port), and Debian's chromium headless driven by playwright-core (no browser
// is downloaded: CHROMIUM, default /usr/bin/chromium). It logs in (a refused token first, then a
// good one typed and submitted from the keyboard), checks the dashboard's numbers against the
// API's, sorts and filters the APIs, opens an API, filters the findings, accepts one with a
// reason and an expiry and sees its state change at once (and the audit log's entry), reopens it,
// visits the integrations and logs out (the token leaves sessionStorage and no data call follows).
// No console message, page error, failed request, HTTP error or request to another origin is
// allowed. It prints stable lines (a golden test compares them) and keeps a screenshot of each
// page in the artefacts directory.
//
// Usage: node ui.mjs --ac BUILD/apicensus --src SOURCE_TREE --out ARTEFACTS_DIR
// Exits 1 on the first failed check (after printing it), 0 when every check held.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch {
  console.log('playwright-core: not installed; run scripts/bootstrap --test (npm ci in tests/e2e)');
  process.exit(1);
}

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) =>
  (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const AC = args.ac, SRC = args.src, OUT = args.out || 'artefacts';
const NOW = '2026-11-22';
const FINDING = 'AC-699b70b2db2dbb19'; // unpatched-old-version on accounts' POST /accounts/v1/login
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ac-ui-'));
const db = path.join(work, 's.db');
fs.mkdirSync(OUT, { recursive: true });
let server, browser, failed = false;

function check(ok, line, detail = '') {
  console.log(line);
  if (!ok) {
    failed = true;
    console.error(`FAILED: ${line}${detail ? ` (${detail})` : ''}`);
    throw new Error(line);
  }
}

const ac = (...a) => execFileSync(AC, ['--db', db, '--now', NOW, ...a], { encoding: 'utf8' }).trim();

async function startServer() {
  server = spawn(AC, ['--db', db, 'serve', '--listen', '127.0.0.1:0', '--threads', '2', '--now', NOW, '-q'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  server.stderr.on('data', (d) => { err += d; });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${err}`)), 10000);
    server.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\S+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    server.on('exit', (code) => reject(new Error(`server exited ${code}: ${err}`)));
  });
}

async function main() {
  ac('-q', 'import', path.join(SRC, 'examples/acme'));
  ac('-q', 'ingest', path.join(SRC, 'examples/acme/logs'));
  ac('findings'); // reconcile
  const bad = 'acn_00000000_000000000000000000000000000000000000000000000000';
  const editor = ac('token', 'create', '--role', 'editor', '--name', 'ui-editor');
  const admin = ac('token', 'create', '--role', 'admin', '--name', 'ui-admin');
  const base = await startServer();
  const api = async (p, tok = admin) => {
    const r = await fetch(`${base}/api/v1/${p}`, { headers: { Authorization: `Bearer ${tok}` } });
    return r.json();
  };

  browser = await chromium.launch({
    executablePath, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-extensions'],
  });
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, reducedMotion: 'reduce' });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  const problems = [];
  let expected401 = false;
  const dataCalls = [];
  page.on('console', (m) => {
    // Chromium logs a refused request as a console error; the refused login expects one.
    if (expected401 && /status of 401/.test(m.text())) return;
    problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    if (r.status() >= 400 && !(expected401 && r.status() === 401)) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  page.on('request', (r) => { if (r.url().includes('/api/')) dataCalls.push(r.url()); });
  // Nothing but this server: any other origin is refused and reported.
  await page.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith(base)) return route.continue();
    problems.push(`external request: ${u}`);
    return route.abort();
  });
  const shot = async (name) => {
    await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true });
  };
  const text = async (sel) => (await page.locator(sel).first().textContent()).trim();

  // 1. The static shell, no token: the login form, and no data call.
  await page.goto(`${base}/`);
  await page.locator('form.login').waitFor();
  check(dataCalls.length === 0, 'login page: shown without a token, no data call');
  await shot('login');

  // 2. A refused token, then the editor's token typed and submitted with the keyboard.
  expected401 = true;
  await page.fill('#token', bad);
  await page.click('form.login button[type=submit]');
  await page.locator('#login-error', { hasText: 'did not accept' }).waitFor();
  check(await page.evaluate(() => sessionStorage.getItem('apicensus.token')) === null,
    'login: a refused token is refused and not kept');
  expected401 = false;
  await page.focus('#token');
  await page.keyboard.press('Control+A');
  await page.keyboard.type(editor);
  await page.keyboard.press('Enter');
  await page.locator('h1', { hasText: 'Dashboard' }).waitFor();
  check(await page.evaluate(() => sessionStorage.getItem('apicensus.token')) === editor,
    'login: keyboard, token kept in sessionStorage, dashboard shown');

  // 3. The dashboard's numbers are the API's.
  const [apis, versions, deployments, operations, endpoints, findings, traffic, integrations] = await Promise.all(
    ['apis', 'versions', 'deployments', 'operations', 'endpoints', 'findings', 'traffic', 'integrations'].map((p) => api(p)));
  const want = {
    apis: apis.length, versions: versions.length, deployments: deployments.length, operations: operations.length,
    endpoints: new Set(endpoints.map((e) => `${e.host} ${e.method} ${e.template}`)).size,
    findings: findings.filter((f) => f.state === 'open').length,
  };
  for (const [k, n] of Object.entries(want)) {
    const shown = Number((await text(`[data-stat="${k}"] .value`)).replace(/,/g, ''));
    check(shown === n, `dashboard ${k}: ${shown}, the API: ${n}`);
  }
  const points = async (id) => Number(await page.getAttribute(`#${id} svg`, 'data-points'));
  const severities = new Set(findings.map((f) => f.severity)).size;
  check(await page.locator('#chart-severity a').count() === 5 && severities > 0, 'dashboard: severity chart, 5 bars, each a link');
  check(await points('chart-rules') === new Set(findings.map((f) => f.rule)).size, `dashboard: rule chart, ${await points('chart-rules')} rules`);
  check(await points('chart-risk') === apis.length, `dashboard: risk chart, ${apis.length} APIs`);
  check(await points('chart-traffic') === new Set(traffic.map((t) => t.hour)).size, `dashboard: traffic chart, ${await points('chart-traffic')} hours`);
  const shadow = new Set(endpoints.filter((e) => !e.documented && e.direction === 'inbound').map((e) => `${e.host} ${e.method} ${e.template}`)).size;
  check((await text('#main h2:has-text("Shadow endpoints")')) === `Shadow endpoints (${shadow})`, `dashboard: shadow endpoints ${shadow}`);
  const zombies = findings.filter((f) => f.rule.startsWith('zombie-')).length;
  check((await text('#main h2:has-text("Zombie endpoints")')) === `Zombie endpoints (${zombies})`, `dashboard: zombie endpoints ${zombies}`);
  await shot('dashboard');

  // 4. APIs: sorted with the keyboard (a header button), filtered.
  await page.click('#nav a[data-nav="apis"]');
  await page.locator('#apis-table').waitFor();
  check(await page.locator('#apis-table tbody tr').count() === apis.length, `apis: ${apis.length} rows`);
  await page.focus('#apis-table button.sort[data-key="name"]');
  await page.keyboard.press('Enter');
  const sortedNames = apis.map((a) => a.name).sort((a, b) => a.localeCompare(b));
  check(await page.getAttribute('#apis-table th:has(button[data-key="name"])', 'aria-sort') === 'ascending' &&
    (await text('#apis-table tbody tr th')) === sortedNames[0], `apis: sorted by name from the keyboard, first ${sortedNames[0]}`);
  await page.fill('#api-q', 'identity');
  check(await page.locator('#apis-table tbody tr').count() === 1 && (await text('#api-count')) === `1 of ${apis.length} APIs` &&
    page.url().endsWith('#/apis?q=identity'), 'apis: search "identity" (an owner) leaves 1 row, in the URL');
  check(await page.getAttribute('#apis-table th:has(button[data-key="name"])', 'aria-sort') === 'ascending',
    'apis: the order chosen is kept while filtering');
  await shot('apis');

  // 5. An API's page: versions, deployments, operations with traffic, undocumented endpoints.
  await page.click('#apis-table a:has-text("accounts")');
  await page.locator('h1', { hasText: 'accounts' }).waitFor();
  const detail = await api('apis/accounts');
  check(page.url().endsWith('#/apis/accounts'), 'api page: #/apis/accounts');
  check(await page.locator('#versions-table tbody tr').count() === detail.versions.length, `api page: ${detail.versions.length} versions`);
  check(await page.locator('#deployments-table tbody tr').count() === detail.deployments.length, `api page: ${detail.deployments.length} deployments`);
  check(await page.locator('#operations-table tbody tr').count() === detail.operations.length, `api page: ${detail.operations.length} operations`);
  const seen = endpoints.filter((e) => e.api === 'accounts' && e.documented).reduce((n, e) => n + e.count, 0);
  const shownSeen = (await page.locator('#operations-table tbody td:nth-child(6)').allTextContents())
    .reduce((n, t) => n + Number(t.replace(/,/g, '') || 0), 0);
  check(shownSeen === seen, `api page: ${seen} requests to its operations`);
  const undoc = await page.locator('#undocumented-table tbody th').allTextContents();
  check(undoc.includes('GET /accounts/v2/export/users.csv'), `api page: ${undoc.length} undocumented endpoints beside them, GET /accounts/v2/export/users.csv among them`);
  const openShown = await page.locator('#api-findings .badge.state-open').count();
  check(openShown === detail.api.open_findings,
    `api page: its findings list holds the ${detail.api.open_findings} open findings its risk counts`);
  await shot('api');

  // 6. Findings: filtered by severity, then found by id, accepted, reopened.
  await page.click('#nav a[data-nav="findings"]');
  await page.locator('#findings-table').waitFor();
  check((await text('#findings-count')) === `${findings.length} of ${findings.length} findings`, `findings: ${findings.length} listed`);
  await page.selectOption('#f-severity', 'critical');
  const critical = findings.filter((f) => f.severity === 'critical').length;
  check((await text('#findings-count')) === `${critical} of ${findings.length} findings` && page.url().includes('severity=critical'),
    `findings: severity critical leaves ${critical}, in the URL`);
  await page.selectOption('#f-severity', '');
  await page.selectOption('#f-rule', 'shadow-endpoint');
  const shadowFindings = findings.filter((f) => f.rule === 'shadow-endpoint').length;
  check((await text('#findings-count')) === `${shadowFindings} of ${findings.length} findings`, `findings: rule shadow-endpoint leaves ${shadowFindings}`);
  await page.selectOption('#f-rule', '');
  await page.fill('#f-q', FINDING);
  const row = page.locator(`#findings-table tr[data-id="${FINDING}"]`);
  check((await row.locator('td.state').textContent()) === 'open', `findings: ${FINDING} open, details shown`);
  await page.locator(`#d-${FINDING}`).waitFor();
  await shot('findings');
  await page.fill(`#reason-${FINDING}`, 'ticket OPS-12: v1 retires in January');
  await page.fill(`#until-${FINDING}`, '2027-01-31');
  await page.click(`#d-${FINDING} button:has-text("Accept")`);
  await page.locator(`#findings-table tr[data-id="${FINDING}"] td.state`, { hasText: 'accepted' }).waitFor();
  check((await text('#status')) === `Finding ${FINDING} accepted until 2027-01-31.`, 'accept: the row says accepted at once, the status line says so');
  check((await api(`findings/${FINDING}`)).state === 'accepted', 'accept: the API says accepted');
  const audit = await api('audit');
  const entry = audit.find((a) => a.action === 'finding.accept' && a.target === FINDING);
  check(entry && entry.actor === 'ui-editor' && entry.detail.reason === 'ticket OPS-12: v1 retires in January' && entry.detail.until === '2027-01-31',
    'accept: in the audit log, by ui-editor, with the reason and expiry');
  await shot('finding-accepted');
  await page.click(`#d-${FINDING} button:has-text("Reopen")`);
  await page.locator(`#findings-table tr[data-id="${FINDING}"] td.state`, { hasText: 'open' }).waitFor();
  check((await api(`findings/${FINDING}`)).state === 'open' &&
    (await api('audit')).some((a) => a.action === 'finding.reopen' && a.target === FINDING), 'reopen: open again, in the audit log');

  // 7. Integrations: declared third parties and undeclared outbound hosts.
  await page.click('#nav a[data-nav="integrations"]');
  await page.locator('#integrations-table').waitFor();
  check(await page.locator('#integrations-table tbody tr').count() === integrations.length, `integrations: ${integrations.length} declared`);
  const declared = new Set(integrations.map((i) => i.host));
  const undeclared = new Set(endpoints.filter((e) => e.direction === 'outbound' && !declared.has(e.host)).map((e) => e.host));
  const rows = await page.locator('#undeclared-table tbody tr th').allTextContents();
  check(rows.length === undeclared.size && rows.every((h) => undeclared.has(h)), `integrations: ${undeclared.size} undeclared outbound hosts (${[...undeclared].sort().join(', ')})`);
  await shot('integrations');

  // 8. Log out: the token is gone and no data call follows, even on a reload of a data page.
  await page.click('#logout');
  await page.locator('form.login').waitFor();
  const calls = dataCalls.length;
  check(await page.evaluate(() => sessionStorage.getItem('apicensus.token')) === null, 'logout: token removed from sessionStorage');
  await page.goto(`${base}/#/findings`);
  await page.reload();
  await page.locator('form.login').waitFor();
  check(dataCalls.length === calls, 'logout: login form, no data call after it');

  check(problems.length === 0, `console messages, page errors, failed requests: ${problems.length}`, problems.join('; '));
  console.log(`screenshots: ${fs.readdirSync(OUT).filter((f) => f.endsWith('.png')).sort().join(' ')}`);
}

try {
  await main();
} catch (e) {
  if (!failed) console.log(`error: ${e.message.split('\n')[0]}`);
  console.error(e.stack);
  failed = true;
} finally {
  await browser?.close().catch(() => {});
  server?.kill('SIGTERM');
  fs.rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
