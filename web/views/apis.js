// views/apis.js - every API in one table: sortable by any column (header buttons), filtered by
// text, environment, audience and lifecycle. The filters live in the URL (#/apis?env=staging).
import { get } from '../api.js';
import { h, clear, chips, none, fmt, sortableTable } from '../dom.js';
import { riskClass } from './dashboard.js';

const uniq = (xs) => [...new Set(xs.filter((x) => x !== null && x !== undefined))].sort();

export async function apisView(ctx) {
  const [apis, deployments] = await Promise.all([get('apis'), get('deployments')]);
  const rows = apis.map((a) => {
    const mine = deployments.filter((d) => d.api === a.name);
    return { ...a, environments: uniq(mine.map((d) => d.environment)), audiences: uniq(mine.map((d) => d.audience)) };
  });
  const q = ctx.query;
  const filters = {
    text: q.get('q') || '',
    env: q.get('env') || '',
    audience: q.get('audience') || '',
    lifecycle: q.get('lifecycle') || '',
  };
  const select = (id, label, values, current) => h('div', { class: 'field' },
    h('label', { for: id }, label),
    h('select', { id, name: id }, h('option', { value: '' }, 'any'),
      values.map((v) => h('option', { value: v, selected: v === current }, v))));
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter APIs' },
    h('div', { class: 'field' }, h('label', { for: 'api-q' }, 'Search'),
      h('input', { id: 'api-q', name: 'q', type: 'search', value: filters.text, placeholder: 'name, owner, description' })),
    select('env', 'Environment', uniq(deployments.map((d) => d.environment)), filters.env),
    select('audience', 'Audience', uniq(deployments.map((d) => d.audience)), filters.audience),
    select('lifecycle', 'Lifecycle', uniq(['design', 'active', 'deprecated', 'retired', ...apis.map((a) => a.lifecycle)]), filters.lifecycle));
  const count = h('p', { class: 'count', 'aria-live': 'polite', id: 'api-count' });
  const holder = h('div');
  const sort = {}; // the order the user chose, kept while filtering

  function draw() {
    const f = Object.fromEntries(new FormData(form));
    const text = (f.q || '').toLowerCase();
    const shown = rows.filter((a) =>
      (!text || [a.name, a.owner, a.contact, a.description].some((s) => s && s.toLowerCase().includes(text))) &&
      (!f.env || a.environments.includes(f.env)) &&
      (!f.audience || a.audiences.includes(f.audience)) &&
      (!f.lifecycle || a.lifecycle === f.lifecycle));
    count.textContent = `${shown.length} of ${rows.length} APIs`;
    const params = new URLSearchParams(Object.entries(f).filter(([, v]) => v));
    history.replaceState(null, "", `#/apis${params.toString() ? `?${params}` : ""}`);
    clear(holder).append(sortableTable({
      id: 'apis-table',
      caption: 'APIs',
      rows: shown,
      sortKey: 'risk',
      sortDir: 'desc',
      sort,
      empty: 'No API matches the filters.',
      columns: [
        { key: 'name', label: 'Name', header: true, cell: (a) => h('a', { href: `#/apis/${encodeURIComponent(a.name)}` }, a.name) },
        { key: 'owner', label: 'Owner', cell: (a) => (a.owner ? a.owner : h('span', { class: 'warn' }, 'no owner')) },
        { key: 'environments', label: 'Environment', value: (a) => a.environments.join(','), cell: (a) => chips(a.environments, 'no deployment') },
        { key: 'audiences', label: 'Audience', value: (a) => a.audiences.join(','), cell: (a) => chips(a.audiences, 'not declared') },
        { key: 'lifecycle', label: 'Lifecycle', cell: (a) => a.lifecycle || none('not declared') },
        { key: 'versions', label: 'Versions', value: (a) => a.versions.length, cell: (a) => chips(a.versions) },
        { key: 'open_findings', label: 'Open findings', numeric: true, cell: (a) => fmt(a.open_findings) },
        { key: 'risk', label: 'Risk', numeric: true, cell: (a) => (a.risk === null || a.risk === undefined ? none() : h('span', { class: `risk ${riskClass(a.risk)}` }, String(a.risk))) },
      ],
    }));
  }
  form.addEventListener('input', draw);
  form.addEventListener('submit', (ev) => ev.preventDefault());
  draw();
  return h('div', null, h('h1', null, 'APIs'), form, count, holder);
}
