/** A horizontal bar chart in plain SVG (no chart library for one chart). */
const NS = 'http://www.w3.org/2000/svg';

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

export function barChart(rows: Array<{ label: string; value: number }>, options: { width?: number; barHeight?: number } = {}): SVGSVGElement {
  const width = options.width ?? 640;
  const barHeight = options.barHeight ?? 22;
  const labelWidth = 180;
  const gap = 8;
  const max = Math.max(1, ...rows.map((r) => r.value));
  const height = Math.max(1, rows.length) * (barHeight + gap) + gap;
  const root = svg('svg', { width, height, viewBox: `0 0 ${width} ${height}`, class: 'bar-chart', role: 'img' });
  rows.forEach((row, i) => {
    const y = gap + i * (barHeight + gap);
    const w = Math.round(((width - labelWidth - 50) * row.value) / max);
    root.appendChild(svg('text', { x: labelWidth - 8, y: y + barHeight * 0.7, 'text-anchor': 'end', class: 'bar-label' }, row.label));
    const bar = svg('rect', { x: labelWidth, y, width: Math.max(w, row.value > 0 ? 2 : 0), height: barHeight, rx: 3, class: 'bar', 'data-value': row.value });
    bar.appendChild(svg('title', {}, `${row.label}: ${row.value}`));
    root.appendChild(bar);
    root.appendChild(svg('text', { x: labelWidth + w + 6, y: y + barHeight * 0.7, class: 'bar-value' }, String(row.value)));
  });
  return root;
}
