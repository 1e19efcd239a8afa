// views/dashboard.js - the inventory at a glance: counts, findings by severity and by rule, risk
// per API, shadow and zombie endpoints, traffic over time. Everything is computed here from the
// registry listings, so the numbers are the API's own.
import { get } from '../api.js';
import { h, fmt, section, SEVERITIES, badge, when } from '../dom.js';
import { barChart, columnChart } from '../charts.js';

const endpointKey = (e) => `${e.host} ${e.method} ${e.template}`;

export async function dashboardView() {
  const [apis, versions, deployments, operations, endpoints, findings, traffic] = await Promise.all(
    ['apis', 'versions', 'deployments', 'operations', 'endpoints', 'findings', 'traffic'].map((p) => get(p)));

  const distinct = new Set(endpoints.map(endpointKey));
  const open = findings.filter((f) => f.state === 'open');
  const stats = [
    ['apis', 'APIs', apis.length, '#/apis'],
    ['versions', 'Versions', versions.length],
    ['deployments', 'Deployments', deployments.length],
    ['operations', 'Operations', operations.length],
    ['endpoints', 'Endpoints seen', distinct.size],
    ['findings', 'Open findings', open.length, '#/findings?state=open'],
  ];
  const cards = h('ul', { class: 'stats', 'aria-label': 'Inventory counts' }, stats.map(([key, label, n, href]) =>
    h('li', { class: 'stat', dataset: { stat: key } },
      h('span', { class: 'value' }, fmt(n)), ' ',
      href ? h('a', { href, class: 'label' }, label) : h('span', { class: 'label' }, label))));

  const bySeverity = SEVERITIES.map((s) => ({
    label: s, value: findings.filter((f) => f.severity === s).length,
    href: `#/findings?severity=${s}`, cls: `sev-${s}`,
  }));
  const ruleCounts = new Map();
  for (const f of findings) ruleCounts.set(f.rule, (ruleCounts.get(f.rule) || 0) + 1);
  const byRule = [...ruleCounts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([rule, n]) => ({ label: rule, value: n, href: `#/findings?rule=${encodeURIComponent(rule)}` }));
  const risk = [...apis].sort((a, b) => (b.risk ?? 0) - (a.risk ?? 0) || a.name.localeCompare(b.name))
    .map((a) => ({ label: a.name, value: a.risk ?? 0, href: `#/apis/${encodeURIComponent(a.name)}`, cls: riskClass(a.risk) }));

  // Shadow: answering endpoints nobody documented; zombie: old versions that still answer.
  const shadow = endpoints.filter((e) => !e.documented && e.direction === 'inbound');
  const shadowByKey = new Map();
  for (const e of shadow) {
    const k = endpointKey(e);
    const s = shadowByKey.get(k) || { ...e, count: 0 };
    s.count += e.count;
    shadowByKey.set(k, s);
  }
  const shadowList = [...shadowByKey.values()].sort((a, b) => b.count - a.count || endpointKey(a).localeCompare(endpointKey(b)));
  const zombies = findings.filter((f) => f.rule.startsWith('zombie-'));

  const hours = new Map();
  for (const t of traffic) hours.set(t.hour, (hours.get(t.hour) || 0) + t.count);
  const points = [...hours].sort((a, b) => a[0].localeCompare(b[0]))
    .map(([hour, n]) => ({ label: hour.replace(/:00:00Z$/, ':00').replace('T', ' '), short: hour.slice(11, 16), value: n }));

  return h('div', { class: 'dashboard' },
    h('h1', null, 'Dashboard'),
    cards,
    h('div', { class: 'grid' },
      section('Findings by severity', barChart({ title: 'Open and accepted findings by severity', items: bySeverity, labelHead: 'severity', id: 'chart-severity' })),
      section('Risk per API', barChart({ title: 'Risk score (0 to 100) of each API', items: risk, max: 100, labelHead: 'API', valueHead: 'risk', id: 'chart-risk' })),
      section(`Shadow endpoints (${shadowList.length})`,
        h('p', { class: 'help' }, 'Endpoints that answered traffic but no spec documents.'),
        endpointList(shadowList, 'shadow-list'),
        h('p', null, h('a', { href: '#/findings?rule=shadow-endpoint' }, 'Shadow endpoint findings'))),
      section(`Zombie endpoints (${zombies.length})`,
        h('p', { class: 'help' }, 'Deprecated, retired or superseded operations that still answer.'),
        zombieList(zombies),
        h('p', null, h('a', { href: '#/findings?q=zombie-' }, 'Zombie findings'))),
      section('Traffic over time', columnChart({ title: 'Requests per hour (UTC), every host', points, id: 'chart-traffic' })),
      section('Findings by rule', barChart({ title: 'Open and accepted findings by rule', items: byRule, labelHead: 'rule', id: 'chart-rules' }))));
}

export function riskClass(risk) {
  if (risk === null || risk === undefined) return 'risk-none';
  return risk >= 75 ? 'risk-high' : risk >= 40 ? 'risk-medium' : 'risk-low';
}

function endpointList(list, id) {
  if (list.length === 0) return h('p', { id }, 'None seen.');
  return h('ul', { class: 'endpoints', id }, list.slice(0, 8).map((e) =>
    h('li', null, h('code', null, `${e.method} ${e.template}`), ' on ', e.host, ', ',
      `${fmt(e.count)} request${e.count === 1 ? '' : 's'}`, ', last ', when(e.last_seen))),
  list.length > 8 ? h('li', null, `and ${list.length - 8} more`) : null);
}

function zombieList(list) {
  if (list.length === 0) return h('p', { id: 'zombie-list' }, 'None.');
  return h('ul', { class: 'endpoints', id: 'zombie-list' }, list.slice(0, 8).map((f) =>
    h('li', null, badge('sev', f.severity), ' ', h('a', { href: `#/findings?q=${f.id}` }, f.title))),
  list.length > 8 ? h('li', null, `and ${list.length - 8} more`) : null);
}
