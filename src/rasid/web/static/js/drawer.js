// The event drawer: English notes, the fields (each with the rule that produced it when the
// record says), the Arabic evidence right-to-left with the matched spans highlighted, the claim
// source, the other outlets of the incident with contradictions marked, and the review tools.
import * as api from "./api.js";
import { append, clear, h } from "./dom.js";
import { number, t, typeLabel } from "./i18n.js";
import { placeName, typeClass } from "./map.js";
import { marked, offsetIndex, selectionOffsets } from "./text.js";

let panel = null;
let meta = null;
let config = null;
let changed = () => {};
let current = null;

export function initDrawer(el, metaData, configData, onChanged) {
  panel = el;
  meta = metaData;
  config = configData;
  changed = onChanged;
}

export function closeDrawer() {
  panel.hidden = true;
  document.body.classList.remove("drawer-open");
  current = null;
}

export async function openEvent(id) {
  panel.hidden = false;
  document.body.classList.add("drawer-open");
  clear(panel).append(h("p", { class: "status" }, t("loading")));
  try {
    current = await api.get(`/api/events/${encodeURIComponent(id)}`);
    render(current);
  } catch (err) {
    clear(panel).append(closeButton(), h("p", { class: "error" }, t("error", { msg: err.message })));
  }
}

function closeButton() {
  return h("button", { type: "button", class: "close", "aria-label": t("close"), on: { click: closeDrawer } }, "×");
}

const actorText = (a) => (a ? a.name || a.id || a.mention || "" : "");

function dateText(d) {
  if (!d || !d.start) return d && d.mention ? `${t("unknown")} («${d.mention}»)` : t("unknown");
  const span = d.end && d.end !== d.start ? `${d.start} – ${d.end}` : d.start;
  return d.precision && d.precision !== "day" ? `${span} (${d.precision})` : span;
}

function tollText(f, key) {
  if (!f || f[key] === null || f[key] === undefined) return "";
  const high = f[`${key}_high`];
  return high ? `${number(f[key])}–${number(high)}` : number(f[key]);
}

/** The field rows: [field, value, Arabic mention or null]. */
function fieldRows(ev) {
  const loc = ev.location;
  const fixed = (ev.review && ev.review.corrected) || {};
  // a corrected place is a name the analyst typed; show it as typed
  const name = fixed.location || placeName(loc);
  const where = loc ? [name, loc.admin2, loc.admin1].filter(Boolean).join(", ") : "";
  return [
    ["event_type", typeLabel(ev.event_type), null],
    ["sub_event_type", (ev.sub_event_type || "").replaceAll("_", " "), null],
    ["actor1", actorText(ev.actor1), ev.actor1 && ev.actor1.mention],
    ["actor2", actorText(ev.actor2), ev.actor2 && ev.actor2.mention],
    ["location", where, loc && loc.mention],
    ["admin1", loc ? loc.admin1 || "" : "", null],
    ["date", dateText(ev.date), ev.date && ev.date.mention],
    ["killed", tollText(ev.fatalities, "killed"), ev.fatalities && ev.fatalities.mention],
    ["injured", tollText(ev.fatalities, "injured"), null],
    ["outlet", ev.outlet || "", null],
    ["title", ev.article_title || (ev.article && ev.article.title) || "", null],
    ["confidence", ev.confidence === undefined ? "" : number(ev.confidence), null],
  ];
}

/** Spans of the record: its "spans" map when present, else the mentions found in the evidence. */
function spanLayers(ev, text, idx) {
  const layers = [];
  const spans = ev.spans && typeof ev.spans === "object" ? ev.spans : null;
  if (spans) {
    for (const [field, value] of Object.entries(spans)) {
      for (const s of Array.isArray(value) ? value : [value]) {
        if (!s || typeof s.start !== "number") continue;
        layers.push({ field, rule: s.rule || "", start: idx.toU16(s.start), end: idx.toU16(s.end) });
      }
    }
    return layers;
  }
  const mentions = {
    actor1: ev.actor1 && ev.actor1.mention,
    actor2: ev.actor2 && ev.actor2.mention,
    location: ev.location && ev.location.mention,
    killed: ev.fatalities && ev.fatalities.mention,
    date: ev.date && ev.date.mention,
    claim: ev.claim && ev.claim.source_mention,
  };
  for (const e of ev.evidence || []) {
    const [from, to] = [idx.toU16(e.start), idx.toU16(e.end)];
    const sentence = text.slice(from, to);
    for (const [field, m] of Object.entries(mentions)) {
      if (!m) continue;
      const at = sentence.indexOf(m);
      if (at >= 0) layers.push({ field, rule: "mention", start: from + at, end: from + at + m.length });
    }
  }
  return layers;
}

function fieldLabel(field) {
  return field === "claim" ? t("drawer.claim") : t(`field.${field}`);
}

function evidenceSection(ev) {
  const article = ev.article || {};
  const text = typeof article.text === "string" ? article.text : null;
  const section = h("section", { class: "evidence-block" }, h("h3", {}, t("drawer.evidence")));
  if (text === null) {
    for (const e of ev.evidence || []) section.append(h("blockquote", { class: "evidence arabic", dir: "rtl", lang: "ar" }, e.text));
    return section;
  }
  const idx = offsetIndex(text);
  const spans = spanLayers(ev, text, idx);
  const layers = spans.map((s) => ({
    start: s.start,
    end: s.end,
    cls: `sp sp-${s.field}`,
    title: `${fieldLabel(s.field)} — ${t("drawer.rule")}: ${s.rule}`,
  }));
  for (const e of ev.evidence || []) {
    const quote = h("blockquote", { class: "evidence arabic", dir: "rtl", lang: "ar" });
    quote.append(...marked(text, layers, idx.toU16(e.start), idx.toU16(e.end)));
    section.append(quote);
  }
  if (spans.length) {
    const seen = new Set();
    const rules = h("ul", { class: "rules" });
    for (const s of spans) {
      const key = `${s.field}|${s.rule}`;
      if (seen.has(key)) continue;
      seen.add(key);
      rules.append(
        h(
          "li",
          {},
          h("mark", { class: `hl sp sp-${s.field}`, dir: "rtl", lang: "ar" }, text.slice(s.start, s.end)),
          ` ${fieldLabel(s.field)} — ${t("drawer.rule")}: `,
          h("code", {}, s.rule),
        ),
      );
    }
    section.append(rules);
  }
  const evLayers = (ev.evidence || []).map((e) => ({ start: idx.toU16(e.start), end: idx.toU16(e.end), cls: "ev" }));
  const full = h("div", { class: "article-text arabic", dir: "rtl", lang: "ar" }, marked(text, [...evLayers, ...layers]));
  section.append(
    h(
      "details",
      { class: "full-article" },
      h("summary", {}, t("drawer.article")),
      article.url ? h("p", { dir: "ltr" }, h("a", { href: article.url, rel: "noreferrer noopener", target: "_blank" }, article.url)) : null,
      full,
      addMissed(ev, full, idx),
    ),
  );
  return section;
}

// The store writes contradictions as {"kind", "detail"} (store/fusion.py): kind "actor1",
// "fatalities", "contested" or "denial"; anything else is shown as it comes.
const CONTRA_FIELD = { actor1: "actor1", fatalities: "killed", killed: "killed", injured: "injured", event_type: "event_type" };

function contradictionText(c) {
  if (c === null || typeof c !== "object") return String(c);
  const kind = c.kind || c.field || "";
  const label = CONTRA_FIELD[kind] ? t(`field.${CONTRA_FIELD[kind]}`) : kind;
  const detail = c.detail ?? JSON.stringify(c);
  return label ? `${label}: ${detail}` : String(detail);
}

function incidentSection(ev) {
  const inc = ev.incident;
  if (!inc) return null;
  const section = h("section", { class: "incident" }, h("h3", {}, `${t("drawer.incident")} #${inc.id ?? ""}`));
  const others = inc.events || [];
  section.append(h("h4", {}, `${t("drawer.others")} (${number(others.length)})`));
  if (!others.length) section.append(h("p", { class: "muted" }, t("drawer.no_others")));
  const list = h("ul", { class: "others" });
  for (const o of others) {
    list.append(
      h(
        "li",
        {},
        h(
          "button",
          { type: "button", class: "linklike", on: { click: () => openEvent(o.id || o.event_id) } },
          h("span", { class: `dot ${typeClass(o.event_type)}` }),
          h("strong", {}, o.outlet || t("unknown")),
          " — ",
          typeLabel(o.event_type),
        ),
        o.notes ? h("div", { class: "notes", lang: "en", dir: "ltr" }, o.notes) : null,
      ),
    );
  }
  section.append(list);
  const contra = inc.contradictions || [];
  if (contra.length) {
    section.append(h("h4", { class: "contradiction" }, `⚠ ${t("drawer.contradictions")}`));
    section.append(h("ul", { class: "contradictions" }, contra.map((c) => h("li", { class: "contradiction" }, "⚠ ", contradictionText(c)))));
  }
  return section;
}

function contradictedFields(ev) {
  const out = new Set();
  for (const c of (ev.incident && ev.incident.contradictions) || []) {
    const field = c && typeof c === "object" ? CONTRA_FIELD[c.kind || c.field] : null;
    if (field) out.add(field);
  }
  return out;
}

function fieldsTable(ev) {
  const spans = ev.spans && typeof ev.spans === "object" ? ev.spans : {};
  const corrected = (ev.review && ev.review.corrected) || {};
  const contra = contradictedFields(ev);
  const table = h("table", { class: "fields" });
  for (const [field, value, mention] of fieldRows(ev)) {
    if (value === "" && !mention) continue;
    const rule = spans[field] && !Array.isArray(spans[field]) ? spans[field].rule : null;
    const cls = [field in corrected ? "corrected" : "", contra.has(field) ? "contra" : ""].join(" ").trim();
    table.append(
      h(
        "tr",
        { class: cls || null, dataset: { field } },
        h("th", {}, t(`field.${field}`)),
        h(
          "td",
          {},
          h("bdi", {}, value),
          mention ? h("bdi", { class: "mention arabic", dir: "rtl", lang: "ar" }, ` «${mention}»`) : null,
          rule ? h("code", { class: "rule", title: t("drawer.rule") }, rule) : null,
          contra.has(field) ? h("span", { class: "contradiction", title: t("drawer.contradictions") }, " ⚠") : null,
        ),
      ),
    );
  }
  return table;
}

function claimBlock(ev) {
  const c = ev.claim;
  if (!c || (!c.source && !c.source_mention)) return null;
  return h(
    "p",
    { class: "claim" },
    h("strong", {}, `${t("drawer.claim")}: `),
    h("bdi", {}, c.source || ""),
    c.source_mention ? h("bdi", { class: "mention arabic", dir: "rtl", lang: "ar" }, ` «${c.source_mention}»`) : null,
    c.contested ? h("span", { class: "contested" }, ` ⚠ ${t("drawer.contested")}`) : null,
  );
}

export function reviewedLine(review) {
  if (!review) return null;
  const verdict = review.verdict ? t(`review.${review.verdict}`) : "—";
  const fields = Object.keys(review.corrected || {});
  return h(
    "p",
    { class: "reviewed-line" },
    h("span", { class: "badge rv-badge" }, t("review.badge")),
    " ",
    t("review.done", { verdict, who: review.reviewer || "?", at: review.at || "" }),
    fields.length ? ` — ${t("review.corrected", { fields: fields.map((f) => t(`field.${f}`)).join(", ") })}` : "",
  );
}

function select(name, values, current, label) {
  const required = name === "event_type" || name === "sub_event_type";
  const s = h("select", { name, required }, h("option", { value: "" }, "—"));
  for (const v of values) {
    const [value, text] = Array.isArray(v) ? v : [v, v];
    s.append(h("option", { value, selected: value === current }, text));
  }
  return h("label", {}, h("span", {}, label), s);
}

function input(name, type, value, label) {
  return h("label", {}, h("span", {}, label), h("input", { name, type, value: value ?? "", min: type === "number" ? 0 : null }));
}

function identity() {
  const box = h("div", { class: "identity" });
  const name = h("input", { name: "reviewer", value: localStorage.getItem("rasid.reviewer") || "", autocomplete: "name" });
  name.addEventListener("change", () => localStorage.setItem("rasid.reviewer", name.value.trim()));
  box.append(h("label", {}, h("span", {}, t("review.reviewer")), name));
  if (config && config.write_needs_token) {
    const tok = h("input", { name: "token", type: "password", value: localStorage.getItem("rasid.token") || "" });
    tok.addEventListener("change", () => localStorage.setItem("rasid.token", tok.value.trim()));
    box.append(h("label", {}, h("span", {}, t("review.token")), tok));
  }
  return box;
}

function reviewer(status) {
  const who = (localStorage.getItem("rasid.reviewer") || "").trim();
  if (!who) status.textContent = t("review.need_name");
  return who;
}

async function send(status, path, body, after) {
  try {
    const result = await api.post(path, body);
    status.textContent = "";
    await after(result);
  } catch (err) {
    status.textContent = t("review.error", { msg: err.message });
  }
}

function placeText(ev) {
  const fixed = (ev.review && ev.review.corrected) || {};
  const loc = ev.location || {};
  return fixed.location || loc.name || loc.mention || "";
}

function correctionForm(ev, status) {
  const loc = ev.location || {};
  const f = ev.fatalities || {};
  const form = h(
    "form",
    { class: "correct" },
    select("event_type", (meta.event_types || []).map((x) => [x, typeLabel(x)]), ev.event_type, t("field.event_type")),
    select("sub_event_type", meta.sub_event_types || [], ev.sub_event_type, t("field.sub_event_type")),
    select("actor1", (meta.actors || []).map((a) => [a.id, a.name]), ev.actor1 && ev.actor1.id, t("field.actor1")),
    select("actor2", (meta.actors || []).map((a) => [a.id, a.name]), ev.actor2 && ev.actor2.id, t("field.actor2")),
    input("location", "text", placeText(ev), t("field.location")),
    select("admin1", meta.admin1 || [], loc.admin1, t("field.admin1")),
    input("killed", "number", f.killed, t("field.killed")),
    input("injured", "number", f.injured, t("field.injured")),
    h("button", { type: "submit" }, t("review.save")),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const who = reviewer(status);
    if (!who) return;
    const corrections = {};
    const before = {
      event_type: ev.event_type || "",
      sub_event_type: ev.sub_event_type || "",
      actor1: (ev.actor1 && ev.actor1.id) || "",
      actor2: (ev.actor2 && ev.actor2.id) || "",
      location: placeText(ev),
      admin1: loc.admin1 || "",
      killed: f.killed ?? "",
      injured: f.injured ?? "",
    };
    for (const [k, old] of Object.entries(before)) {
      const v = form.elements[k].value.trim();
      if (v === String(old)) continue;
      corrections[k] = k === "killed" || k === "injured" ? (v === "" ? null : Number(v)) : v || null;
    }
    if (!Object.keys(corrections).length) return;
    send(status, `/api/events/${encodeURIComponent(ev.id)}/review`, { corrections, reviewer: who }, afterReview(ev.id));
  });
  return form;
}

function afterReview(id) {
  return async () => {
    await openEvent(id);
    changed();
  };
}

function reviewSection(ev) {
  const status = h("p", { class: "status", "aria-live": "polite" });
  const verdict = (v) => () => {
    const who = reviewer(status);
    if (who) send(status, `/api/events/${encodeURIComponent(ev.id)}/review`, { verdict: v, reviewer: who }, afterReview(ev.id));
  };
  const mine = ev.review && ev.review.verdict;
  return h(
    "section",
    { class: "review" },
    h("h3", {}, t("review")),
    reviewedLine(ev.review),
    identity(),
    h(
      "div",
      { class: "verdict" },
      h("button", { type: "button", class: `ok${mine === "right" ? " on" : ""}`, on: { click: verdict("right") } }, `✓ ${t("review.right")}`),
      h("button", { type: "button", class: `bad${mine === "wrong" ? " on" : ""}`, on: { click: verdict("wrong") } }, `✗ ${t("review.wrong")}`),
    ),
    h("details", { class: "correct-box" }, h("summary", {}, t("review.correct")), correctionForm(ev, status)),
    status,
  );
}

function addMissed(ev, full, idx) {
  const status = h("p", { class: "status", "aria-live": "polite" });
  const form = h(
    "form",
    { class: "add-missed", hidden: true },
    select("event_type", (meta.event_types || []).map((x) => [x, typeLabel(x)]), "", t("field.event_type")),
    select("sub_event_type", meta.sub_event_types || [], "", t("field.sub_event_type")),
    select("actor1", (meta.actors || []).map((a) => [a.id, a.name]), "", t("field.actor1")),
    input("location", "text", "", t("field.location")),
    input("killed", "number", "", t("field.killed")),
    h("button", { type: "submit" }, t("review.add.save")),
  );
  let picked = null;
  let last = null; // the last selection inside the article: a click elsewhere may collapse it
  const remember = () => {
    if (!full.isConnected) return document.removeEventListener("selectionchange", remember);
    last = selectionOffsets(full) || last;
  };
  document.addEventListener("selectionchange", remember);
  const button = h("button", { type: "button", class: "add" }, t("review.add"));
  button.addEventListener("click", () => {
    const sel = selectionOffsets(full) || last;
    if (!sel) {
      status.textContent = t("review.add.noselection");
      return;
    }
    picked = { start: idx.toCp(sel.start), end: idx.toCp(sel.end) };
    status.textContent = `«${full.textContent.slice(sel.start, sel.end)}»`;
    form.hidden = false;
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const who = reviewer(status);
    if (!who || !picked) return;
    const body = { article_id: ev.article_id || (ev.article && ev.article.id), evidence: picked, reviewer: who };
    for (const k of ["event_type", "sub_event_type", "actor1", "location", "killed"]) {
      const v = form.elements[k].value.trim();
      if (v) body[k] = k === "killed" ? Number(v) : v;
    }
    send(status, "/api/events", body, async (created) => {
      changed();
      if (created && (created.id || created.event_id)) await openEvent(created.id || created.event_id);
    });
  });
  return h("div", { class: "add-box" }, h("p", { class: "hint" }, t("review.add.hint")), button, form, status);
}

function render(ev) {
  clear(panel);
  panel.dataset.event = ev.id;
  // append() skips the sections that are null (no claim, no incident); Element.append would print "null"
  append(panel, [
    h(
      "header",
      { class: "drawer-head" },
      h("span", { class: `dot ${typeClass(ev.event_type)}` }),
      h("h2", {}, typeLabel(ev.event_type), " — ", placeName(ev.location)),
      ev.review ? h("span", { class: "badge rv-badge" }, t("review.badge")) : null,
      closeButton(),
    ),
    h("h3", {}, t("drawer.notes")),
    h("p", { class: "notes", lang: "en", dir: "ltr" }, ev.notes || ""),
    h("h3", {}, t("drawer.fields")),
    fieldsTable(ev),
    claimBlock(ev),
    evidenceSection(ev),
    incidentSection(ev),
    reviewSection(ev),
  ]);
  panel.scrollTop = 0;
}
