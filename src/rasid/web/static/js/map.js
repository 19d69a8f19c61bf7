// The map: an offline basemap drawn from the shipped boundaries (governorates and districts,
// labelled in the interface language), a tile layer only when the server is configured with one,
// and one marker per place. Several events at one place get a count badge that opens their
// list (never markers stacked invisibly on one point); markers cluster when zoomed out.
import { h } from "./dom.js";
import { lang, number, t, typeLabel } from "./i18n.js";

const KNOWN_TYPES = [
  "battles",
  "explosions_remote_violence",
  "violence_against_civilians",
  "protests",
  "riots",
  "strategic_developments",
];

let map = null;
let cluster = null;
let districtLabels = null;
let handlers = { place: () => {}, event: () => {} };
let loaded = () => {};

/** CSS class of an event type's colour ("t-other" for a type the legend does not know). */
export function typeClass(type) {
  return KNOWN_TYPES.includes(type) ? `t-${type}` : "t-other";
}

function labelMarker(feature, cls) {
  const p = feature.properties;
  const name = lang === "ar" ? p.name_ar || p.name_en : p.name_en || p.name_ar;
  const icon = L.divIcon({ className: `lbl ${cls}`, html: h("span", { lang }, name), iconSize: null });
  return L.marker([p.label[1], p.label[0]], { icon, interactive: false, keyboard: false });
}

async function basemap() {
  const [adm1, adm2] = await Promise.all(
    ["adm1", "adm2"].map((n) => fetch(`/static/basemap/${n}.geojson`).then((r) => r.json())),
  );
  L.geoJSON(adm2, { interactive: false, style: { className: "adm2", weight: 0.7, fill: false } }).addTo(map);
  const gov = L.geoJSON(adm1, { interactive: false, style: { className: "adm1", weight: 1.4, fillOpacity: 0.6 } });
  gov.addTo(map);
  L.layerGroup(adm1.features.map((f) => labelMarker(f, "lbl1"))).addTo(map);
  districtLabels = L.layerGroup(adm2.features.map((f) => labelMarker(f, "lbl2")));
  const showDistricts = () => {
    if (map.getZoom() >= 8) districtLabels.addTo(map);
    else districtLabels.remove();
  };
  map.on("zoomend", showDistricts);
  showDistricts();
  return gov.getBounds();
}

function attribution() {
  const control = L.control({ position: "bottomright" });
  control.onAdd = () =>
    h(
      "div",
      { class: "leaflet-control-attribution leaflet-control attribution", lang },
      h("a", { href: "https://leafletjs.com", rel: "noreferrer" }, "Leaflet"),
      " | ",
      t("attribution"),
    );
  return control;
}

function legend() {
  const control = L.control({ position: "topright" });
  control.onAdd = () =>
    h(
      "div",
      { class: "leaflet-control legend" },
      KNOWN_TYPES.map((type) => h("div", {}, h("span", { class: `dot ${typeClass(type)}` }), typeLabel(type))),
    );
  return control;
}

function clusterIcon(c) {
  const total = c.getAllChildMarkers().reduce((sum, m) => sum + m.options.count, 0);
  const size = total < 10 ? 30 : total < 100 ? 36 : 44;
  return L.divIcon({
    className: "cl",
    html: h("span", { dataset: { n: total } }, number(total)),
    iconSize: [size, size],
  });
}

export async function initMap(el, config, on) {
  handlers = on;
  map = L.map(el, { attributionControl: false, minZoom: 4, maxZoom: 15, zoomSnap: 0.5 });
  if (config.tile_url) L.tileLayer(config.tile_url, { maxZoom: 18 }).addTo(map);
  else el.classList.add("offline");
  attribution().addTo(map);
  legend().addTo(map);
  cluster = L.markerClusterGroup({
    chunkedLoading: true,
    chunkProgress: (done, total) => done >= total && loaded(),
    showCoverageOnHover: false,
    maxClusterRadius: 45,
    spiderfyOnMaxZoom: true,
    iconCreateFunction: clusterIcon,
  });
  map.addLayer(cluster);
  map.setView([35, 38.5], 6);
  const bounds = await basemap();
  map.fitBounds(bounds, { padding: [8, 8], animate: false });
  return map;
}

function placeKey(loc) {
  return `${Number(loc.lat).toFixed(4)},${Number(loc.lon).toFixed(4)}`;
}

export function placeName(loc) {
  if (!loc) return t("unknown");
  return (lang === "ar" ? loc.name_ar || loc.name : loc.name || loc.name_ar) || loc.mention || t("unknown");
}

function dominantType(events) {
  const n = new Map();
  for (const e of events) n.set(e.event_type, (n.get(e.event_type) || 0) + 1);
  return [...n.entries()].sort((a, b) => b[1] - a[1])[0][0];
}

function placeMarker(key, events) {
  const { lat, lon } = events[0].location;
  const n = events.length;
  const reviewed = events.every((e) => e.review);
  const cls = ["mk", typeClass(dominantType(events)), n > 1 ? "mk-n" : "mk-1", reviewed ? "rv" : ""];
  const title = `${placeName(events[0].location)}: ${n > 1 ? t("count", { n }) : typeLabel(events[0].event_type)}`;
  const icon = L.divIcon({
    className: cls.join(" "),
    html: h("span", { dataset: { place: key, n } }, n > 1 ? number(n) : ""),
    iconSize: n > 1 ? [26, 26] : [14, 14],
  });
  const marker = L.marker([lat, lon], { icon, count: n, title, alt: title, riseOnHover: true });
  marker.on("click", () => (n > 1 ? handlers.place(events) : handlers.event(events[0].id)));
  marker.on("keypress", (ev) => ev.originalEvent.key === "Enter" && marker.fire("click"));
  return marker;
}

/**
 * Replace the markers. Resolves, once the cluster layer has taken them all (it adds them in
 * chunks so that 10,000 events never freeze the page), to how many events have a point.
 */
let drawing = Promise.resolve(0);

export function setEvents(items) {
  // one chunked load at a time: clearing the layer while an earlier load is still adding its
  // chunks would mix the two sets, so a new set waits for the previous one to be placed
  drawing = drawing.then(() => place(items));
  return drawing;
}

function place(items) {
  const places = new Map();
  let shown = 0;
  for (const ev of items) {
    const loc = ev.location;
    if (!loc || loc.lat === null || loc.lat === undefined || loc.lon === null || loc.lon === undefined) continue;
    const key = placeKey(loc);
    if (!places.has(key)) places.set(key, []);
    places.get(key).push(ev);
    shown += 1;
  }
  const markers = [...places.entries()].map(([key, evs]) => placeMarker(key, evs));
  cluster.clearLayers();
  if (!markers.length) return Promise.resolve(shown);
  return new Promise((resolve) => {
    loaded = () => {
      loaded = () => {};
      resolve(shown);
    };
    cluster.addLayers(markers);
  });
}

export function getMap() {
  return map;
}
