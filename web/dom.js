// dom.js - small DOM helpers shared by the views: an element builder that only ever sets text
// (never HTML, so data from the store cannot inject markup), formatting, badges, and a sortable
// table whose headers are buttons (keyboard operable, with aria-sort).
const SVG = 'http://www.w3.org/2000/svg';

export function h(tag, attrs, ...children) {
  const svg = tag.startsWith('svg:');
  const el = svg ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

/* "none" for screen readers, a dash for the eye. */
export function none(text = 'none') {
  return h('span', { class: 'none' }, h('span', { 'aria-hidden': 'true' }, '—'),
    h('span', { class: 'sr-only' }, text));
}

export const orNone = (v, text) => (v === null || v === undefined || v === '' ? none(text) : String(v));

/* "2026-11-22T08:24:36Z" -> "2026-11-22 08:24 UTC"; dates stay as they are. */
export function when(ts) {
  if (!ts) return none();
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d)/.exec(ts);
  return h('time', { datetime: ts }, m ? `${m[1]} ${m[2]} UTC` : ts);
}

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];

export const badge = (kind, value) =>
  value ? h('span', { class: `badge ${kind}-${value}` }, value) : none();

export function chips(list, emptyText = 'none') {
  if (!list || list.length === 0) return none(emptyText);
  return h('ul', { class: 'chips' }, list.map((x) => h('li', null, x)));
}

export const fmt = (n) => Number(n || 0).toLocaleString('en-US');

export function section(title, ...children) {
  const id = `s-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return h('section', { 'aria-labelledby': id, class: 'panel' }, h('h2', { id }, title), children);
}

/* A table sorted by clicking (or Enter/Space on) a column's header button.
 * columns: [{key, label, value(row) -> sort key, cell(row) -> node or text, numeric}]
 * sort: an object {key, dir} the table reads and updates, so a view that draws the table again
 * (after a filter changed) keeps the user's order; else sortKey and sortDir start it. */
export function sortableTable({ caption, columns, rows, sortKey, sortDir = 'asc', sort, empty, id }) {
  const state = sort || {};
  state.key ??= sortKey ?? columns[0].key;
  state.dir ??= sortDir;
  const tbody = h('tbody');
  const heads = columns.map((col) => {
    const btn = h('button', { type: 'button', class: 'sort', dataset: { key: col.key } }, col.label,
      h('span', { class: 'arrow', 'aria-hidden': 'true' }));
    btn.addEventListener('click', () => {
      state.dir = state.key === col.key && state.dir === 'asc' ? 'desc' : 'asc';
      state.key = col.key;
      draw();
    });
    return h('th', { scope: 'col', class: col.numeric ? 'num' : null }, col.sortable === false ? col.label : btn);
  });
  const table = h('table', { id, class: 'data' },
    caption ? h('caption', null, caption) : null, h('thead', null, h('tr', null, heads)), tbody);

  function draw() {
    const col = columns.find((c) => c.key === state.key);
    const val = col.value || ((r) => r[col.key]);
    const sorted = [...rows].sort((a, b) => {
      const x = val(a), y = val(b);
      if (x === y) return 0;
      if (x === null || x === undefined || x === '') return 1;
      if (y === null || y === undefined || y === '') return -1;
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return state.dir === 'asc' ? c : -c;
    });
    columns.forEach((c, i) => {
      heads[i].setAttribute('aria-sort', c.key === state.key ? (state.dir === 'asc' ? 'ascending' : 'descending') : 'none');
    });
    clear(tbody);
    if (sorted.length === 0) {
      tbody.append(h('tr', null, h('td', { colspan: columns.length, class: 'empty' }, empty || 'Nothing to show.')));
    }
    for (const r of sorted) {
      tbody.append(h('tr', null, columns.map((c) =>
        h(c.header ? 'th' : 'td', { class: c.numeric ? 'num' : null, scope: c.header ? 'row' : null },
          c.cell ? c.cell(r) : orNone(r[c.key])))));
    }
  }
  draw();
  return h('div', { class: 'table-wrap' }, table);
}
