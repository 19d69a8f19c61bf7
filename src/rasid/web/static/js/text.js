// Article text with ranges marked, built as flat segments (one element per run of text covered
// by the same ranges) so that overlapping ranges never need nested or re-opened tags. The API's
// offsets count Unicode code points (Python); JavaScript strings count UTF-16 units, so offsets
// are converted whenever the text holds characters outside the BMP.
import { h } from "./dom.js";

export function offsetIndex(text) {
  if (!/[\uD800-\uDFFF]/.test(text)) return { toU16: (i) => i, toCp: (j) => j };
  const u16 = [0];
  for (const ch of text) u16.push(u16[u16.length - 1] + ch.length);
  const toCp = (j) => {
    let lo = 0;
    let hi = u16.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (u16[mid] <= j) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  return { toU16: (i) => u16[Math.max(0, Math.min(i, u16.length - 1))], toCp };
}

/**
 * Segments of text[from:to] (UTF-16 offsets) with layers [{start, end, cls, title}] (UTF-16,
 * relative to the whole text) marked. Each segment carries data-start, its offset in the text.
 */
export function marked(text, layers, from = 0, to = text.length) {
  const cuts = new Set([from, to]);
  for (const l of layers) {
    if (l.end <= from || l.start >= to || l.end <= l.start) continue;
    cuts.add(Math.max(from, l.start));
    cuts.add(Math.min(to, l.end));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i], points[i + 1]];
    const over = layers.filter((l) => l.start <= a && l.end >= b && l.end > l.start);
    const piece = text.slice(a, b);
    if (!over.length) {
      out.push(h("span", { dataset: { start: a } }, piece));
      continue;
    }
    const cls = ["hl", ...new Set(over.map((l) => l.cls))].join(" ");
    const title = [...new Set(over.map((l) => l.title).filter(Boolean))].join("\n");
    out.push(h("mark", { class: cls, title: title || null, dataset: { start: a } }, piece));
  }
  return out;
}

/** The selection inside container as UTF-16 offsets of the text, or null. */
export function selectionOffsets(container) {
  const sel = window.getSelection();
  if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
  const range = sel.getRangeAt(0);
  if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) return null;
  const at = (node, offset) => {
    if (node.nodeType === Node.TEXT_NODE) return Number(node.parentElement.dataset.start) + offset;
    const child = node.childNodes[offset];
    if (child && child.dataset) return Number(child.dataset.start);
    const last = node.lastElementChild;
    return last ? Number(last.dataset.start) + last.textContent.length : 0;
  };
  const start = at(range.startContainer, range.startOffset);
  const end = at(range.endContainer, range.endOffset);
  return end > start ? { start, end } : null;
}
