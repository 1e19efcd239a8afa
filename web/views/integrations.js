// views/integrations.js - the third parties the organisation declares (direction, data classes,
// justification, approval) and the outbound hosts that traffic shows but nobody declared.
import { get } from '../api.js';
import { h, chips, fmt, when, section, sortableTable, orNone, badge } from '../dom.js';

export async function integrationsView() {
  const [integrations, endpoints, findings] = await Promise.all([
    get('integrations'), get('endpoints'), get('findings')]);
  const declared = new Set(integrations.map((i) => i.host));
  const hosts = new Map();
  for (const e of endpoints.filter((x) => x.direction === 'outbound' && !declared.has(x.host))) {
    const o = hosts.get(e.host) || { host: e.host, count: 0, data: new Set(), first: null, last: null, endpoints: 0 };
    o.count += e.count;
    o.endpoints += 1;
    (e.data_classes || []).forEach((d) => o.data.add(d));
    if (e.first_seen && (!o.first || e.first_seen < o.first)) o.first = e.first_seen;
    if (e.last_seen && (!o.last || e.last_seen > o.last)) o.last = e.last_seen;
    hosts.set(e.host, o);
  }
  const undeclared = [...hosts.values()].map((o) => ({ ...o, data: [...o.data].sort() }));
  const dataflow = findings.filter((f) => f.rule.startsWith('dataflow-'));

  return h('div', null,
    h('h1', null, 'Integrations'),
    section(`Declared third parties (${integrations.length})`, sortableTable({
      id: 'integrations-table', rows: integrations, sortKey: 'name', empty: 'No integration declared.',
      columns: [
        { key: 'name', label: 'Name', header: true },
        { key: 'host', label: 'Host', cell: (i) => h('code', null, i.host || i.url || '') },
        { key: 'direction', label: 'Direction', cell: (i) => orNone(i.direction) },
        { key: 'purpose', label: 'Purpose', cell: (i) => orNone(i.purpose) },
        { key: 'data', label: 'Data classes', value: (i) => (i.data || []).join(','), cell: (i) => chips(i.data) },
        { key: 'justification', label: 'Justification', cell: (i) => (i.justification ? i.justification : h('span', { class: 'warn' }, 'none given')) },
        { key: 'approved_by', label: 'Approval', cell: (i) => (i.approved_by ? `${i.approved_by}${i.approved_on ? `, ${i.approved_on}` : ''}` : h('span', { class: 'warn' }, 'not approved')) },
      ],
    })),
    section(`Undeclared outbound hosts (${undeclared.length})`,
      h('p', { class: 'help' }, 'Third parties that traffic shows data going to, and no integration declares.'),
      sortableTable({
        id: 'undeclared-table', rows: undeclared, sortKey: 'count', sortDir: 'desc', empty: 'None: every outbound host is declared.',
        columns: [
          { key: 'host', label: 'Host', header: true, cell: (o) => h('code', null, o.host) },
          { key: 'count', label: 'Requests', numeric: true, cell: (o) => fmt(o.count) },
          { key: 'endpoints', label: 'Endpoints', numeric: true },
          { key: 'data', label: 'Data classes seen', value: (o) => o.data.join(','), cell: (o) => chips(o.data) },
          { key: 'first', label: 'First seen', cell: (o) => when(o.first) },
          { key: 'last', label: 'Last seen', cell: (o) => when(o.last) },
        ],
      })),
    section(`Data flow findings (${dataflow.length})`,
      dataflow.length === 0 ? h('p', null, 'None.') :
        h('ul', { class: 'endpoints' }, dataflow.map((f) => h('li', null, badge('sev', f.severity), ' ', badge('state', f.state), ' ',
          h('a', { href: `#/findings?q=${f.id}` }, f.title))))));
}
