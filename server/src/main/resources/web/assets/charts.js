// Small SVG charts for the usage reports: bars per day with an optional capacity line, and bars per seat
// count. Drawn with createElementNS only (no HTML strings, no library), so the content security policy holds.

const SVG = 'http://www.w3.org/2000/svg';

function node(tag, attributes = {}, text) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== null && value !== undefined) {
      element.setAttribute(name, String(value));
    }
  }
  if (text !== undefined) {
    element.textContent = text;
  }
  return element;
}

function niceMax(value) {
  if (value <= 5) {
    return 5;
  }
  const step = Math.pow(10, Math.floor(Math.log10(value)));
  for (const factor of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) {
    if (value <= step * factor) {
      return step * factor;
    }
  }
  return value;
}

/**
 * Bars, one per item, with labels under some of them, an optional dashed line (the capacity) and a title per
 * bar for the tooltip. items: [{ label, value, line, title, kind }]; value null leaves a gap.
 */
export function barChart(container, items, options = {}) {
  const width = 960;
  const height = options.height || 260;
  const left = 44;
  const right = 12;
  const top = 12;
  const bottom = 34;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const values = items.flatMap((item) => [item.value || 0, item.line || 0]);
  const max = niceMax(Math.max(1, ...values) * 1.1);
  const svg = node('svg', {
    viewBox: `0 0 ${width} ${height}`,
    preserveAspectRatio: 'xMidYMid meet',
    'data-bars': items.filter((item) => item.value !== null && item.value !== undefined).length,
  });
  const y = (value) => top + plotHeight - (value / max) * plotHeight;
  for (let i = 0; i <= 4; i++) {
    const value = (max / 4) * i;
    svg.append(node('line', { class: 'grid', x1: left, x2: width - right, y1: y(value), y2: y(value) }));
    svg.append(node('text', { x: left - 6, y: y(value) + 4, 'text-anchor': 'end' }, String(Math.round(value * 10) / 10)));
  }
  svg.append(node('line', { class: 'axis', x1: left, x2: width - right, y1: y(0), y2: y(0) }));
  if (items.length === 0) {
    svg.append(node('text', { class: 'empty-note', x: width / 2, y: height / 2, 'text-anchor': 'middle' }, options.empty || 'Nothing recorded.'));
    container.replaceChildren(svg);
    return;
  }
  const slot = plotWidth / items.length;
  const barWidth = Math.max(1, Math.min(36, slot * 0.72));
  const labelEvery = Math.max(1, Math.ceil(items.length / (options.maxLabels || 16)));
  const linePoints = [];
  items.forEach((item, index) => {
    const x = left + slot * index + (slot - barWidth) / 2;
    if (item.value !== null && item.value !== undefined) {
      const bar = node('rect', {
        class: `bar ${item.kind || ''}`.trim(),
        x,
        y: y(item.value),
        width: barWidth,
        height: Math.max(item.value > 0 ? 1 : 0, y(0) - y(item.value)),
        'data-label': item.label,
        'data-value': item.value,
      });
      bar.append(node('title', {}, item.title || `${item.label}: ${item.value}`));
      svg.append(bar);
    }
    if (item.line !== null && item.line !== undefined) {
      linePoints.push([left + slot * index, y(item.line)], [left + slot * (index + 1), y(item.line)]);
    } else if (linePoints.length > 0) {
      linePoints.push(null);
    }
    if (index % labelEvery === 0) {
      svg.append(node('text', { x: left + slot * index + slot / 2, y: height - bottom + 16, 'text-anchor': 'middle' }, item.label));
    }
  });
  const segments = [];
  let segment = [];
  for (const point of linePoints) {
    if (point === null) {
      if (segment.length) segments.push(segment);
      segment = [];
    } else {
      segment.push(point);
    }
  }
  if (segment.length) segments.push(segment);
  for (const points of segments) {
    svg.append(node('polyline', { class: 'capacity', points: points.map((p) => p.join(',')).join(' ') }));
  }
  if (options.xTitle) {
    svg.append(node('text', { x: left + plotWidth / 2, y: height - 2, 'text-anchor': 'middle' }, options.xTitle));
  }
  container.replaceChildren(svg);
}
