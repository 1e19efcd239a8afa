// views/api.js - one API: what it declares (versions, deployments, operations) beside what
// traffic shows (requests, first and last seen per operation; undocumented endpoints on its
// hosts and base paths) and its findings.
import { get, ApiError } from '../api.js';
import { h, chips, none, fmt, when, badge, section, sortableTable, orNone } from '../dom.js';
import { riskClass } from './dashboard.js';

const today = () => new Date().toISOString().slice(0, 10);

export async function apiView(ctx) {
  const name = ctx.params[0];
  let detail;
  try {
    detail = await get(`apis/${encodeURIComponent(name)}`);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) {
      return h('div', null, h('h1', null, `No API named ${name}`),
        h('p', null, h('a', { href: '#/apis' }, 'Every API')));
    }
    throw e;
  }
  const [endpoints, allFindings] = await Promise.all([get('endpoints'), get('findings')]);
  const a = detail.api;
  const versions = detail.versions || [];
  const deployments = detail.deployments || [];
  // Its findings as its risk counts them (docs/rules.md, "Risk score"): about the API, or about
  // one of its hosts without naming an API (a host answering without protections ...).
  const hosts = new Set(deployments.map((d) => d.host).filter(Boolean));
  const findings = allFindings.filter((f) => f.api === name || (f.api == null && hosts.has(f.host)));

  // Traffic per operation: every host's observations of its method and template.
  const traffic = (op) => {
    const seen = endpoints.filter((e) => e.documented && e.method === op.method && e.template === op.template &&
      (e.api === name || e.api === null));
    return {
      count: seen.reduce((n, e) => n + e.count, 0),
      first: seen.map((e) => e.first_seen).filter(Boolean).sort()[0] || null,
      last: seen.map((e) => e.last_seen).filter(Boolean).sort().pop() || null,
    };
  };
  const ops = (detail.operations || []).map((op) => ({ ...op, ...traffic(op) }));
  // Undocumented endpoints of this API: tagged with it, or on one of its deployments' hosts under
  // the deployment's base path.
  const mine = (e) => e.api === name || deployments.some((d) => d.host === e.host &&
    (!d.base_path || d.base_path === '/' || e.template === d.base_path || e.template.startsWith(`${d.base_path}/`)));
  const undocumented = endpoints.filter((e) => !e.documented && e.direction === 'inbound' && mine(e));

  const facts = h('dl', { class: 'facts' },
    h('dt', null, 'Owner'), h('dd', null, a.owner ? `${a.owner}${a.contact ? ` <${a.contact}>` : ''}` : h('span', { class: 'warn' }, 'no owner')),
    h('dt', null, 'Lifecycle'), h('dd', null, orNone(a.lifecycle, 'not declared')),
    h('dt', null, 'Risk'), h('dd', null, a.risk === null || a.risk === undefined ? none() : h('span', { class: `risk ${riskClass(a.risk)}` }, `${a.risk} of 100`)),
    h('dt', null, 'Open findings'), h('dd', null, fmt(a.open_findings)),
    h('dt', null, 'Data classes'), h('dd', null, chips(a.data)),
    h('dt', null, 'Docs'), h('dd', null, a.docs ? h('a', { href: a.docs, rel: 'noreferrer noopener' }, a.docs) : none('not declared')),
    h('dt', null, 'Last review'), h('dd', null, a.review_last ? `${a.review_last}${a.review_every_days ? `, every ${a.review_every_days} days` : ''}` : none('never')));

  return h('div', { class: 'api-page' },
    h('p', { class: 'crumbs' }, h('a', { href: '#/apis' }, 'APIs'), ' / ', a.name),
    h('h1', null, a.name),
    a.description ? h('p', { class: 'lead' }, a.description) : null,
    facts,
    section('Versions', sortableTable({
      id: 'versions-table', rows: versions, sortKey: 'label', empty: 'No version registered.',
      columns: [
        { key: 'label', label: 'Version', header: true },
        { key: 'status', label: 'Status', cell: (v) => (v.status ? badge('status', v.status) : none('not declared')) },
        { key: 'deprecated_on', label: 'Deprecated on', cell: (v) => orNone(v.deprecated_on) },
        { key: 'sunset', label: 'Sunset', cell: (v) => (v.sunset ? h('span', { class: v.sunset < today() ? 'warn' : null }, v.sunset, v.sunset < today() ? ' (passed)' : '') : none()) },
        { key: 'superseded_by', label: 'Superseded by', cell: (v) => orNone(v.superseded_by) },
        { key: 'operations', label: 'Operations', numeric: true },
      ],
    })),
    section('Deployments', sortableTable({
      id: 'deployments-table', rows: deployments, sortKey: 'environment', empty: 'No deployment declared.',
      columns: [
        { key: 'url', label: 'URL', header: true, cell: (d) => h('code', null, d.url) },
        { key: 'environment', label: 'Environment', cell: (d) => orNone(d.environment, 'not declared') },
        { key: 'audience', label: 'Audience', cell: (d) => orNone(d.audience, 'not declared') },
        { key: 'protections', label: 'Protections', value: (d) => (d.protections || []).join(','), cell: (d) => (d.protections === null ? none('not declared') : chips(d.protections, 'none')) },
        { key: 'production_data', label: 'Production data', cell: (d) => (d.production_data === null ? none('not declared') : d.production_data ? 'yes' : 'no') },
      ],
    })),
    section('Operations', sortableTable({
      id: 'operations-table', rows: ops, sortKey: 'template', empty: 'No documented operation.',
      columns: [
        { key: 'template', label: 'Operation', header: true, value: (o) => `${o.template} ${o.method}`, cell: (o) => h('code', null, `${o.method} ${o.template}`) },
        { key: 'version', label: 'Version', cell: (o) => orNone(o.version) },
        { key: 'operation_id', label: 'operationId', cell: (o) => orNone(o.operation_id) },
        { key: 'requires_auth', label: 'Auth', cell: (o) => (o.requires_auth ? 'required' : 'none') },
        { key: 'deprecated', label: 'Deprecated', cell: (o) => (o.deprecated ? 'yes' : 'no') },
        { key: 'count', label: 'Requests', numeric: true, cell: (o) => (o.count ? fmt(o.count) : h('span', { class: 'muted' }, '0')) },
        { key: 'first', label: 'First seen', cell: (o) => when(o.first) },
        { key: 'last', label: 'Last seen', cell: (o) => when(o.last) },
      ],
    })),
    section(`Undocumented endpoints (${undocumented.length})`,
      h('p', { class: 'help' }, 'Traffic on this API\'s hosts and base paths that no operation documents.'),
      sortableTable({
        id: 'undocumented-table', rows: undocumented, sortKey: 'count', sortDir: 'desc', empty: 'None seen.',
        columns: [
          { key: 'template', label: 'Endpoint', header: true, value: (e) => `${e.template} ${e.method}`, cell: (e) => h('code', null, `${e.method} ${e.template}`) },
          { key: 'host', label: 'Host' },
          { key: 'count', label: 'Requests', numeric: true, cell: (e) => fmt(e.count) },
          { key: 'first_seen', label: 'First seen', cell: (e) => when(e.first_seen) },
          { key: 'last_seen', label: 'Last seen', cell: (e) => when(e.last_seen) },
        ],
      })),
    section(`Findings (${findings.length}: about ${name} or its hosts)`,
      findings.length === 0 ? h('p', null, 'No open or accepted finding.') :
        h('ul', { class: 'endpoints', id: 'api-findings' }, findings.map((f) =>
          h('li', null, badge('sev', f.severity), ' ', badge('state', f.state), ' ',
            h('a', { href: `#/findings?q=${f.id}` }, f.title)))),
      h('p', null, h('a', { href: `#/findings?api=${encodeURIComponent(name)}` }, `Filter the findings on ${name}`))));
}
