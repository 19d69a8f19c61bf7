// Start-up, filters, the event list behind the map, and the three views (#map, #sources, #paste).
import * as api from "./api.js";
import { $, clear, debounce, h } from "./dom.js";
import { closeDrawer, initDrawer, openEvent, reviewedLine } from "./drawer.js";
import * as i18n from "./i18n.js";
import { getMap, initMap, placeName, setEvents, typeClass } from "./map.js";
import { initPaste, showSources } from "./pages.js";
import { drawTimeline } from "./timeline.js";

const { t, typeLabel, number } = i18n;
const PAGE = 1000; // events per request while loading the map
const MAX_EVENTS = 50000; // the map shows at most this many; the count is always the true total
const FILTERS = ["event_type", "actor", "admin1", "outlet", "since", "until", "q", "reviewed"];

let loadSeq = 0;
let lastTimeline = null;

function filters() {
  const form = $("#filters");
  const out = {};
  for (const name of FILTERS) {
    const v = form.elements[name].value.trim();
    if (v) out[name] = v;
  }
  return out;
}

function fillSelect(el, values) {
  clear(el).append(h("option", { value: "" }, t("f.any")));
  for (const v of values) {
    const [value, text] = Array.isArray(v) ? v : [v, v];
    el.append(h("option", { value }, text));
  }
}

function fillFilters(meta) {
  fillSelect($("#f-type"), (meta.event_types || []).map((x) => [x, typeLabel(x)]));
  fillSelect($("#f-actor"), (meta.actors || []).map((a) => [a.id, a.name || a.id]));
  fillSelect($("#f-admin1"), meta.admin1 || []);
  fillSelect($("#f-outlet"), meta.outlets || []);
  fillSelect($("#f-reviewed"), [
    ["true", t("f.reviewed.true")],
    ["false", t("f.reviewed.false")],
  ]);
  for (const id of ["#f-since", "#f-until"]) {
    if (meta.date_min) $(id).min = meta.date_min;
    if (meta.date_max) $(id).max = meta.date_max;
  }
}

async function fetchAll(params, seq) {
  const first = await api.get("/api/events", { ...params, limit: PAGE, offset: 0, sort: "-date" });
  const total = first.total;
  const items = [...first.items];
  const step = first.items.length || PAGE;
  const offsets = [];
  for (let off = items.length; off < Math.min(total, MAX_EVENTS) && first.items.length; off += step) offsets.push(off);
  // a few pages at a time: the server answers them in parallel, the order is kept
  for (let i = 0; i < offsets.length; i += 4) {
    const pages = await Promise.all(
      offsets.slice(i, i + 4).map((offset) => api.get("/api/events", { ...params, limit: step, offset, sort: "-date" })),
    );
    if (seq !== loadSeq) return null;
    for (const p of pages) items.push(...p.items);
  }
  return { total, items };
}

async function loadEvents() {
  const seq = ++loadSeq;
  const params = filters();
  const count = $("#count");
  document.body.dataset.state = "loading";
  try {
    const [data] = await Promise.all([fetchAll(params, seq), loadTimeline(params)]);
    if (!data || seq !== loadSeq) return;
    const shown = await setEvents(data.items);
    if (seq !== loadSeq) return;
    count.dataset.total = String(data.total);
    count.dataset.shown = String(shown);
    const all = data.total === 1 ? t("count.one") : t("count", { n: number(data.total) });
    count.textContent = shown === data.total ? all : t("count.shown", { n: number(data.total), shown: number(shown) });
    document.body.dataset.state = "ready";
  } catch (err) {
    count.textContent = t("error", { msg: err.message });
    document.body.dataset.state = "error";
  }
}

async function loadTimeline(params) {
  const { since, until, ...rest } = params;
  const bucket = $("#tl-bucket").value;
  $("#tl-title").textContent = t("timeline", { bucket: t(`bucket.${bucket}`) });
  try {
    lastTimeline = await api.get("/api/timeline", { ...rest, bucket });
  } catch {
    lastTimeline = { buckets: [] };
  }
  redrawTimeline();
}

function redrawTimeline() {
  if (!lastTimeline) return;
  const form = $("#filters");
  const range = { since: form.elements.since.value, until: form.elements.until.value };
  drawTimeline($("#tl-chart"), lastTimeline, $("#tl-bucket").value, range, (r) => {
    form.elements.since.value = r.since;
    form.elements.until.value = r.until;
    loadEvents();
  });
}

function showPlace(events) {
  const panel = $("#placelist");
  const name = placeName(events[0].location);
  clear(panel).append(
    h(
      "header",
      { class: "drawer-head" },
      h("h2", {}, t("place.list", { n: number(events.length), place: name })),
      h("button", { type: "button", class: "close", "aria-label": t("close"), on: { click: () => (panel.hidden = true) } }, "×"),
    ),
    h(
      "ol",
      { class: "events" },
      events.map((ev) =>
        h(
          "li",
          { class: "event" },
          h(
            "button",
            { type: "button", class: "linklike", dataset: { id: ev.id }, on: { click: () => openEvent(ev.id) } },
            h("span", { class: `dot ${typeClass(ev.event_type)}` }),
            h("strong", {}, typeLabel(ev.event_type)),
            ev.date && ev.date.start ? ` · ${ev.date.start}` : "",
            ev.outlet ? ` · ${ev.outlet}` : "",
          ),
          h("div", { class: "notes", lang: "en", dir: "ltr" }, ev.notes || ""),
          ev.review ? reviewedLine(ev.review) : null,
        ),
      ),
    ),
  );
  panel.hidden = false;
}

function route() {
  const view = (location.hash || "#map").slice(1);
  const known = ["map", "sources", "paste"].includes(view) ? view : "map";
  for (const v of ["map", "sources", "paste"]) {
    $(`#view-${v}`).hidden = v !== known;
    $(`#nav-${v}`).classList.toggle("on", v === known);
  }
  if (known === "sources") showSources($("#sources-table"));
  if (known === "map") getMap()?.invalidateSize(); // the map was hidden: it measures itself again
}

async function start() {
  await i18n.load();
  i18n.apply();
  $("#lang").addEventListener("click", () => {
    i18n.setLang(i18n.lang === "ar" ? "en" : "ar");
    location.reload();
  });
  $("#filters-toggle").addEventListener("click", () => document.body.classList.toggle("filters-open"));
  const [config, meta] = await Promise.all([api.get("/api/config"), api.get("/api/meta")]);
  fillFilters(meta);
  initDrawer($("#drawer"), meta, config, () => loadEvents());
  await initMap($("#map"), config, { place: showPlace, event: openEvent });
  const form = $("#filters");
  form.addEventListener("change", () => loadEvents());
  form.addEventListener("submit", (e) => e.preventDefault());
  form.elements.q.addEventListener("input", debounce(() => loadEvents(), 400));
  form.addEventListener("reset", () => setTimeout(() => loadEvents(), 0));
  $("#tl-bucket").addEventListener("change", () => loadTimeline(filters()));
  let width = $("#tl-chart").clientWidth;
  window.addEventListener(
    "resize",
    debounce(() => {
      if ($("#tl-chart").clientWidth === width) return; // never swap the chart under a drag for nothing
      width = $("#tl-chart").clientWidth;
      redrawTimeline();
    }, 200),
  );
  document.addEventListener("keydown", (e) => e.key === "Escape" && closeDrawer());
  initPaste($("#view-paste"));
  window.addEventListener("hashchange", route);
  route();
  await loadEvents();
}

start();
