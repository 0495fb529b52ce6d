// Small DOM and SVG helpers: h(tag, attributes, ...children) builds elements; bar and line charts in SVG.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "value") el.value = v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

const SVG = "http://www.w3.org/2000/svg";
export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children.flat()) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : String(c));
  return el;
}

export function fmt(value, digits = 1) {
  if (value === null || value === undefined) return "–";
  return typeof value === "number" ? (Number.isInteger(value) ? String(value) : value.toFixed(digits)) : String(value);
}

export function clock(seconds) {
  const m = Math.floor(seconds / 60), sec = seconds - 60 * m;
  return `${String(m).padStart(2, "0")}:${sec.toFixed(1).padStart(4, "0")}`;
}

export function table(columns, rows, { onRow } = {}) {
  return h("table", {},
    h("thead", {}, h("tr", {}, columns.map((c) => h("th", {}, c.label)))),
    h("tbody", {}, rows.map((r) => {
      const tr = h("tr", onRow ? { class: "link", onclick: () => onRow(r) } : {}, columns.map((c) => {
        const v = c.value(r);
        return h("td", c.cls ? { class: c.cls(r) } : {}, v instanceof Node ? v : fmt(v));
      }));
      return tr;
    })));
}

// A bar chart of label → value pairs (horizontal bars: labels stay readable in Chinese too).
export function barChart(title, pairs, { width = 520, unit = "" } = {}) {
  const rowH = 22, left = 150, max = Math.max(1, ...pairs.map(([, v]) => v || 0));
  const svg = s("svg", { class: "chart", width, height: pairs.length * rowH + 10, role: "img", "aria-label": title });
  pairs.forEach(([label, v], i) => {
    const w = ((v || 0) / max) * (width - left - 60);
    svg.append(s("text", { x: left - 6, y: i * rowH + 16, "text-anchor": "end" }, label),
      s("rect", { x: left, y: i * rowH + 4, width: Math.max(w, 1), height: rowH - 8, class: "bar" }),
      s("text", { x: left + w + 4, y: i * rowH + 16 }, `${fmt(v)}${unit}`));
  });
  return h("figure", {}, h("figcaption", {}, title), svg);
}

// A line chart over an ordered series (dates on the x axis).
export function lineChart(title, pairs, { width = 520, height = 180 } = {}) {
  const pad = 30, values = pairs.map(([, v]) => v || 0), max = Math.max(1, ...values);
  const x = (i) => pad + (pairs.length > 1 ? (i * (width - 2 * pad)) / (pairs.length - 1) : 0);
  const y = (v) => height - pad - (v / max) * (height - 2 * pad);
  const points = pairs.map(([, v], i) => `${x(i)},${y(v || 0)}`).join(" ");
  const svg = s("svg", { class: "chart", width, height, role: "img", "aria-label": title },
    s("line", { x1: pad, y1: height - pad, x2: width - pad, y2: height - pad, class: "axis" }),
    s("polyline", { points, class: "line" }),
    s("text", { x: 2, y: pad }, fmt(max)),
    pairs.length ? s("text", { x: pad, y: height - 8 }, pairs[0][0]) : null,
    pairs.length > 1 ? s("text", { x: width - pad, y: height - 8, "text-anchor": "end" }, pairs[pairs.length - 1][0]) : null);
  pairs.forEach(([, v], i) => svg.append(s("circle", { cx: x(i), cy: y(v || 0), r: 3, class: "dot" })));
  return h("figure", {}, h("figcaption", {}, title), svg);
}

export function progressBar() {
  const bar = h("progress", { max: 100, value: 0, hidden: true });
  return {
    el: bar,
    show(done, total) { bar.hidden = false; if (total) bar.value = (100 * done) / total; else bar.removeAttribute("value"); },
    hide() { bar.hidden = true; },
  };
}
