// views/findings.js - findings with filters (text, severity, state, rule, API; kept in the URL so
// a filtered list can be bookmarked or linked from the dashboard), each one's evidence, and the
// editor's actions: accept with a reason and an expiry, reopen. A change is shown at once (the
// row keeps its place until the filters change) and the server writes it to the audit log.
import { get, post, ApiError, AuthError } from '../api.js';
import { h, clear, none, when, badge, SEVERITIES } from '../dom.js';

const inDays = (n) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);

export async function findingsView(ctx) {
  const q = ctx.query;
  const state = q.get('state') || '';
  const [findings, rules, apis] = await Promise.all([
    get('findings', { state }), get('rules'), get('apis')]);
  let rows = findings;
  let listedState = state;
  const expanded = new Set();
  const kept = new Set(); // changed here: shown whatever their new state, until the filters change
  const accepted = new Map(); // id -> {reason, until} of acceptances made in this page

  const select = (id, label, options, current) => h('div', { class: 'field' },
    h('label', { for: `f-${id}` }, label),
    h('select', { id: `f-${id}`, name: id }, options.map(([v, text]) =>
      h('option', { value: v, selected: v === current }, text))));
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter findings' },
    h('div', { class: 'field' }, h('label', { for: 'f-q' }, 'Search'),
      h('input', { id: 'f-q', name: 'q', type: 'search', value: q.get('q') || '', placeholder: 'title, id, host, template' })),
    select('severity', 'Severity', [['', 'any'], ...SEVERITIES.map((s) => [s, s])], q.get('severity') || ''),
    select('state', 'State', [['', 'open or accepted'], ['open', 'open'], ['accepted', 'accepted'], ['resolved', 'resolved']], state),
    select('rule', 'Rule', [['', 'any'], ...rules.map((r) => [r.rule, r.rule])], q.get('rule') || ''),
    select('api', 'API', [['', 'any'], ...apis.map((a) => [a.name, a.name])], q.get('api') || ''));
  const count = h('p', { class: 'count', id: 'findings-count', 'aria-live': 'polite' });
  const tbody = h('tbody');
  const table = h('div', { class: 'table-wrap' }, h('table', { class: 'data findings', id: 'findings-table' },
    h('caption', null, 'Findings, most severe first'),
    h('thead', null, h('tr', null, ['Severity', 'Rule', 'Finding', 'API', 'State', 'Last detected']
      .map((t) => h('th', { scope: 'col' }, t)))),
    tbody));

  const filters = () => Object.fromEntries(new FormData(form));
  function matches(f, flt) {
    if (kept.has(f.id)) return true;
    const text = (flt.q || '').toLowerCase();
    return (!text || [f.id, f.title, f.rule, f.host, f.template, f.api].some((s) => s && s.toLowerCase().includes(text))) &&
      (!flt.severity || f.severity === flt.severity) &&
      (!flt.state || f.state === flt.state) &&
      (!flt.rule || f.rule === flt.rule) &&
      (!flt.api || f.api === flt.api);
  }

  function draw(focusId) {
    const flt = filters();
    const shown = rows.filter((f) => matches(f, flt));
    if (shown.length === 1) expanded.add(shown[0].id);
    count.textContent = `${shown.length} of ${rows.length} findings`;
    clear(tbody);
    if (shown.length === 0) tbody.append(h('tr', null, h('td', { colspan: 6, class: 'empty' }, 'No finding matches the filters.')));
    for (const f of shown) {
      const open = expanded.has(f.id);
      const toggle = h('button', {
        type: 'button', class: 'link', 'aria-expanded': String(open), 'aria-controls': `d-${f.id}`, dataset: { id: f.id },
      }, f.title);
      toggle.addEventListener('click', () => {
        if (expanded.has(f.id)) expanded.delete(f.id);
        else expanded.add(f.id);
        draw(f.id);
      });
      tbody.append(h('tr', { class: `finding state-${f.state}`, dataset: { id: f.id } },
        h('td', null, badge('sev', f.severity)),
        h('td', null, h('code', null, f.rule)),
        h('th', { scope: 'row' }, toggle),
        h('td', null, f.api ? h('a', { href: `#/apis/${encodeURIComponent(f.api)}` }, f.api) : none('no API')),
        h('td', { class: 'state' }, badge('state', f.state)),
        h('td', null, when(f.last_detected))));
      if (open) tbody.append(h('tr', { class: 'details', id: `d-${f.id}` }, h('td', { colspan: 6 }, details(f))));
    }
    if (focusId) tbody.querySelector(`button[data-id="${focusId}"]`)?.focus();
  }

  function details(f) {
    const ev = f.evidence || {};
    const err = h('p', { class: 'error', role: 'alert' });
    const acc = accepted.get(f.id);
    const actions = f.state === 'accepted'
      ? h('div', { class: 'actions' },
        acc ? h('p', null, `Accepted until ${acc.until}: ${acc.reason}`) : h('p', null, 'Accepted (the reason and expiry are in the audit log).'),
        h('button', { type: 'button', class: 'secondary', onclick: () => change(f, 'reopen', {}, err) }, 'Reopen'))
      : f.state === 'open' ? acceptForm(f, err) : h('p', null, `Resolved ${f.resolved_at || ''}: the rule no longer fires.`);
    return h('div', { class: 'finding-details' },
      h('dl', { class: 'facts' },
        h('dt', null, 'Id'), h('dd', null, h('code', null, f.id)),
        [['host', 'Host'], ['method', 'Method'], ['template', 'Template'], ['version', 'Version']].filter(([k]) => f[k])
          .map(([k, label]) => [h('dt', null, label), h('dd', null, h('code', null, f[k]))]),
        h('dt', null, 'Declared in'), h('dd', null, f.file ? h('code', null, `${f.file}${f.line ? `:${f.line}` : ''}`) : none()),
        h('dt', null, 'First detected'), h('dd', null, when(f.first_detected))),
      h('h3', null, 'Evidence'),
      Object.keys(ev).length === 0 ? h('p', null, 'None recorded.') :
        h('dl', { class: 'facts evidence' }, Object.entries(ev).map(([k, v]) =>
          [h('dt', null, k.replace(/_/g, ' ')), h('dd', null, typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v))])),
      h('p', null, h('a', { href: `#/findings?rule=${encodeURIComponent(f.rule)}` }, `Every ${f.rule} finding`)),
      actions, err);
  }

  function acceptForm(f, err) {
    const rid = `reason-${f.id}`, uid = `until-${f.id}`;
    const form = h('form', { class: 'accept', 'aria-label': `Accept ${f.id}` },
      h('div', { class: 'field wide' }, h('label', { for: rid }, 'Reason'),
        h('input', { id: rid, name: 'reason', required: true, maxlength: 500, placeholder: 'why this risk is accepted, e.g. a ticket' })),
      h('div', { class: 'field' }, h('label', { for: uid }, 'Until'),
        h('input', { id: uid, name: 'until', type: 'date', required: true, value: inDays(90) })),
      h('button', { type: 'submit' }, 'Accept'));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const { reason, until } = Object.fromEntries(new FormData(form));
      if (!reason.trim()) {
        err.textContent = 'Give a reason for accepting this finding.';
        form.querySelector('input[name=reason]').focus();
        return;
      }
      change(f, 'accept', { reason: reason.trim(), until }, err);
    });
    return form;
  }

  async function change(f, action, body, err) {
    err.textContent = '';
    try {
      const updated = await post(`findings/${encodeURIComponent(f.id)}/${action}`, body);
      rows = rows.map((x) => (x.id === updated.id ? updated : x));
      kept.add(f.id);
      expanded.add(f.id);
      if (action === 'accept') accepted.set(f.id, body);
      else accepted.delete(f.id);
      draw(f.id);
      ctx.setStatus(action === 'accept' ? `Finding ${f.id} accepted until ${body.until}.` : `Finding ${f.id} reopened.`);
    } catch (e) {
      if (e instanceof ApiError && e.status === 403) err.textContent = `Your token cannot change findings: ${e.message}`;
      else if (e instanceof ApiError) err.textContent = e.message;
      else if (!(e instanceof AuthError)) err.textContent = String(e.message || e);
    }
  }

  form.addEventListener('submit', (ev) => ev.preventDefault());
  form.addEventListener('input', async () => {
    const flt = filters();
    const params = new URLSearchParams(Object.entries(flt).filter(([, v]) => v));
    history.replaceState(null, '', `#/findings${params.toString() ? `?${params}` : ''}`);
    kept.clear();
    expanded.clear();
    // The state filter decides what the server lists (resolved findings are left out by default).
    if (flt.state !== listedState) {
      listedState = flt.state;
      count.textContent = 'Loading…';
      let fresh;
      try {
        fresh = await get('findings', { state: flt.state });
      } catch (e) {
        count.textContent = e instanceof AuthError ? '' : e.message;
        return;
      }
      if (ctx.stale() || filters().state !== flt.state) return;
      rows = fresh;
    }
    draw();
  });
  draw();
  return h('div', null, h('h1', null, 'Findings'), form, count, table);
}
