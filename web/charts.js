// charts.js - charts as inline SVG: horizontal bars (each bar a link when it has one, so the
// keyboard reaches it) and columns over time. Every chart is a <figure> whose caption is its
// title; the SVG carries a text alternative, and a <details> table holds the same numbers.
import { h, fmt } from './dom.js';

let serial = 0;

function dataTable(items, labelHead, valueHead) {
  return h('details', { class: 'chart-data' }, h('summary', null, 'Show the numbers'),
    h('table', { class: 'data compact' },
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, labelHead), h('th', { scope: 'col', class: 'num' }, valueHead))),
      h('tbody', null, items.map((it) => h('tr', null, h('th', { scope: 'row' }, it.label), h('td', { class: 'num' }, fmt(it.value)))))));
}

/* items: [{label, value, href, cls}] -> bars, longest first as given. */
export function barChart({ title, items, max, unit = '', labelHead = 'name', valueHead = 'count', id }) {
  const n = ++serial;
  const row = 26, labelW = 210, barW = 330, width = labelW + barW + 70;
  const height = Math.max(row * items.length + 8, 40);
  const top = max ?? Math.max(1, ...items.map((i) => i.value));
  const svg = h('svg:svg', {
    viewBox: `0 0 ${width} ${height}`, class: 'chart bars', role: 'group',
    'aria-labelledby': `chart-${n}`, 'data-points': items.length,
  });
  if (items.length === 0) {
    svg.append(h('svg:text', { x: 8, y: 24, class: 'nodata' }, 'No data'));
  }
  items.forEach((it, i) => {
    const y = 4 + i * row;
    const w = Math.max(it.value > 0 ? 2 : 0, Math.round((it.value / top) * barW));
    const label = it.label.length > 30 ? `${it.label.slice(0, 29)}…` : it.label;
    const g = h('svg:g', { class: `bar ${it.cls || ''}` },
      h('svg:title', null, `${it.label}: ${fmt(it.value)}${unit}`),
      h('svg:text', { x: labelW - 8, y: y + 16, 'text-anchor': 'end', class: 'label' }, label),
      h('svg:rect', { x: labelW, y: y + 3, width: w, height: row - 8, rx: 2, class: 'pt' }),
      h('svg:text', { x: labelW + w + 6, y: y + 16, class: 'value' }, `${fmt(it.value)}${unit}`));
    svg.append(it.href ? h('svg:a', { href: it.href, 'aria-label': `${it.label}: ${fmt(it.value)}${unit}` }, g) : g);
  });
  return h('figure', { class: 'chart', id },
    h('figcaption', { id: `chart-${n}` }, title), svg, items.length ? dataTable(items, labelHead, valueHead) : null);
}

/* points: [{label (x), value}] in time order -> columns with a few x labels and the peak. */
export function columnChart({ title, points, id, valueHead = 'requests' }) {
  const n = ++serial;
  const width = 640, height = 200, left = 44, bottom = 28, topPad = 12;
  const plotW = width - left - 8, plotH = height - bottom - topPad;
  const max = Math.max(1, ...points.map((p) => p.value));
  const peak = points.reduce((a, p) => (p.value > (a?.value ?? -1) ? p : a), null);
  const desc = points.length
    ? `${points.length} hours from ${points[0].label} to ${points[points.length - 1].label}; peak ${fmt(peak.value)} at ${peak.label}.`
    : 'No traffic.';
  const svg = h('svg:svg', {
    viewBox: `0 0 ${width} ${height}`, class: 'chart columns', role: 'img',
    'aria-labelledby': `chart-${n} chart-${n}-d`, 'data-points': points.length,
  }, h('svg:desc', { id: `chart-${n}-d` }, desc));
  svg.append(h('svg:line', { x1: left, x2: width - 8, y1: topPad + plotH, y2: topPad + plotH, class: 'axis' }));
  svg.append(h('svg:text', { x: left - 6, y: topPad + 8, 'text-anchor': 'end', class: 'tick' }, fmt(max)));
  svg.append(h('svg:text', { x: left - 6, y: topPad + plotH, 'text-anchor': 'end', class: 'tick' }, '0'));
  if (points.length === 0) svg.append(h('svg:text', { x: left + 10, y: topPad + plotH / 2, class: 'nodata' }, 'No traffic'));
  const step = plotW / Math.max(points.length, 1);
  const every = Math.max(1, Math.ceil(points.length / 8));
  points.forEach((p, i) => {
    const bh = Math.round((p.value / max) * plotH);
    const x = left + i * step;
    svg.append(h('svg:rect', { x: x + step * 0.1, y: topPad + plotH - bh, width: Math.max(1, step * 0.8), height: bh, class: 'pt' },
      h('svg:title', null, `${p.label}: ${fmt(p.value)} ${valueHead}`)));
    if (i % every === 0) {
      svg.append(h('svg:text', { x: x + step / 2, y: height - 8, 'text-anchor': 'middle', class: 'tick' }, p.short || p.label));
    }
  });
  return h('figure', { class: 'chart', id }, h('figcaption', { id: `chart-${n}` }, title), svg,
    points.length ? dataTable(points, 'hour (UTC)', valueHead) : null);
}
