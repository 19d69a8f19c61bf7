// Events per day or week as stacked bars (SVG built through the DOM); dragging across it picks a
// date range that filters the map, a double click clears it.
import { clear } from "./dom.js";
import { number, t, typeLabel } from "./i18n.js";
import { typeClass } from "./map.js";

const SVG = "http://www.w3.org/2000/svg";
const DAY = 86400000;

function svg(tag, attrs, text) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

const iso = (ms) => new Date(ms).toISOString().slice(0, 10);
const parse = (s) => Date.parse(`${s}T00:00:00Z`);

/** Every bucket from the first to the last, the empty ones included, so the axis is time. */
function fill(buckets, bucket) {
  const step = bucket === "week" ? 7 * DAY : DAY;
  const by = new Map(buckets.map((b) => [b.start, b]));
  const starts = buckets.map((b) => parse(b.start)).sort((a, b) => a - b);
  const out = [];
  for (let ms = starts[0]; ms <= starts[starts.length - 1] && out.length < 2000; ms += step) {
    out.push(by.get(iso(ms)) || { start: iso(ms), n: 0, by_type: {} });
  }
  return { rows: out, step };
}

export function drawTimeline(el, data, bucket, range, onRange) {
  clear(el);
  const buckets = (data.buckets || []).filter((b) => b.start);
  if (!buckets.length) {
    el.append(document.createTextNode(t("timeline.empty")));
    return;
  }
  const { rows, step } = fill(buckets, bucket);
  const width = Math.max(el.clientWidth || 600, 200);
  const height = 90;
  const pad = 16;
  const bw = Math.min((width - 2) / rows.length, 24); // a few buckets stay bars, not a wall
  const max = Math.max(...rows.map((r) => r.n), 1);
  const root = svg("svg", { width, height: height + pad, class: "tl", role: "img" });
  rows.forEach((r, i) => {
    let y = height;
    const entries = Object.entries(r.by_type || {});
    if (!entries.length && r.n) entries.push(["other", r.n]);
    for (const [type, n] of entries) {
      const bh = (n / max) * (height - 4);
      y -= bh;
      const rect = svg("rect", { x: 1 + i * bw, y, width: Math.max(bw - 1, 1), height: bh, class: typeClass(type) });
      rect.append(svg("title", {}, `${r.start}: ${number(n)} ${typeLabel(type)}`));
      root.append(rect);
    }
  });
  root.append(svg("text", { x: 2, y: height + pad - 3, class: "tl-label" }, rows[0].start));
  const endX = Math.max(1 + rows.length * bw, 140); // under the last bar, room kept for the first label
  root.append(svg("text", { x: endX, y: height + pad - 3, class: "tl-label end" }, rows[rows.length - 1].start));
  const sel = svg("rect", { x: 0, y: 0, width: 0, height, class: "tl-sel" });
  root.append(sel);
  const indexAt = (clientX) => {
    const box = root.getBoundingClientRect();
    return Math.min(rows.length - 1, Math.max(0, Math.floor((clientX - box.left) / bw)));
  };
  const show = (a, b) => {
    const [lo, hi] = a <= b ? [a, b] : [b, a];
    sel.setAttribute("x", 1 + lo * bw);
    sel.setAttribute("width", (hi - lo + 1) * bw);
  };
  if (range.since || range.until) {
    const first = parse(rows[0].start);
    const lo = range.since ? Math.max(0, Math.floor((parse(range.since) - first) / step)) : 0;
    const hi = range.until ? Math.min(rows.length - 1, Math.floor((parse(range.until) - first) / step)) : rows.length - 1;
    if (hi >= lo) show(lo, hi);
  }
  let start = null;
  root.addEventListener("pointerdown", (ev) => {
    start = indexAt(ev.clientX);
    root.setPointerCapture(ev.pointerId);
    show(start, start);
  });
  root.addEventListener("pointermove", (ev) => start !== null && show(start, indexAt(ev.clientX)));
  root.addEventListener("pointerup", (ev) => {
    if (start === null) return;
    const end = indexAt(ev.clientX);
    const [lo, hi] = start <= end ? [start, end] : [end, start];
    start = null;
    onRange({ since: rows[lo].start, until: iso(parse(rows[hi].start) + step - DAY) });
  });
  root.addEventListener("dblclick", () => onRange({ since: "", until: "" }));
  el.append(root);
}
