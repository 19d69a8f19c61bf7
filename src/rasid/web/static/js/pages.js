// The sources page (the framing table of `rasid sources`) and the paste box (extract only,
// nothing stored), which shows the events and the marked mentions as the text is typed.
import * as api from "./api.js";
import { clear, debounce, h } from "./dom.js";
import { t, typeLabel } from "./i18n.js";
import { typeClass } from "./map.js";
import { marked, offsetIndex } from "./text.js";

function cell(v) {
  if (v === null || v === undefined) return "";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

export async function showSources(el) {
  clear(el).append(h("p", { class: "status" }, t("loading")));
  try {
    const data = await api.get("/api/sources");
    const rows = Array.isArray(data) ? data : data.rows || data.items || data.sources || [];
    clear(el);
    if (!rows.length) {
      el.append(h("p", {}, t("sources.empty")));
      return;
    }
    const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    el.append(
      h(
        "table",
        { class: "sources" },
        h("thead", {}, h("tr", {}, cols.map((c) => h("th", { scope: "col" }, c.replaceAll("_", " "))))),
        h("tbody", {}, rows.map((r) => h("tr", {}, cols.map((c) => h("td", {}, h("bdi", {}, cell(r[c]))))))),
      ),
    );
  } catch (err) {
    clear(el).append(h("p", { class: "error" }, t("error", { msg: err.message })));
  }
}

let pasteSeq = 0;

async function extract(text, published, out) {
  const seq = ++pasteSeq;
  if (!text.trim()) {
    clear(out.marked);
    clear(out.events);
    out.status.textContent = "";
    return;
  }
  out.status.textContent = t("loading");
  try {
    const body = { text };
    if (published) body.published = published;
    const data = await api.post("/api/extract", body);
    if (seq !== pasteSeq) return;
    const idx = offsetIndex(text);
    const layers = (data.mentions || []).map((m) => ({
      start: idx.toU16(m.start),
      end: idx.toU16(m.end),
      cls: `m k-${String(m.kind || "other").replace(/[^a-z0-9_-]/gi, "")}`,
      title: `${m.kind}: ${m.label ?? m.text ?? ""}`,
    }));
    clear(out.marked).append(...marked(text, layers));
    clear(out.events);
    for (const ev of data.events || []) {
      out.events.append(
        h(
          "li",
          { class: "event" },
          h("span", { class: `dot ${typeClass(ev.event_type)}` }),
          h("strong", {}, typeLabel(ev.event_type)),
          h("div", { class: "notes", lang: "en", dir: "ltr" }, ev.notes || ""),
        ),
      );
    }
    out.status.textContent = data.events && data.events.length ? "" : t("paste.none");
    out.root.dataset.events = String((data.events || []).length);
  } catch (err) {
    if (seq === pasteSeq) out.status.textContent = t("error", { msg: err.message });
  }
}

export function initPaste(root) {
  const out = {
    root,
    marked: root.querySelector("#paste-marked"),
    events: root.querySelector("#paste-events"),
    status: root.querySelector("#paste-status"),
  };
  const area = root.querySelector("#paste-text");
  const date = root.querySelector("#paste-published");
  const run = debounce(() => extract(area.value, date.value, out), 350);
  area.addEventListener("input", run);
  date.addEventListener("change", run);
}
