// Interface strings live in static/i18n/{en,ar}.json; the language is a toggle kept in localStorage.
let strings = {};
export let lang = "en";

export async function load() {
  const saved = localStorage.getItem("rasid.lang");
  lang = saved === "ar" || saved === "en" ? saved : "en";
  const res = await fetch(`/static/i18n/${lang}.json`);
  strings = await res.json();
  document.documentElement.lang = lang;
  document.documentElement.dir = lang === "ar" ? "rtl" : "ltr";
  document.title = strings.title || "Rasid";
}

export function setLang(next) {
  localStorage.setItem("rasid.lang", next);
}

/** t("count", {n: 3}) -> "3 events"; a missing key shows itself, so gaps are visible. */
export function t(key, vars) {
  let s = strings[key] ?? key;
  for (const [k, v] of Object.entries(vars || {})) s = s.split(`{${k}}`).join(String(v));
  return s;
}

export function has(key) {
  return Object.prototype.hasOwnProperty.call(strings, key);
}

/** Label of an event type, translated when the interface knows it. */
export function typeLabel(type) {
  if (!type) return t("unknown");
  return has(`type.${type}`) ? t(`type.${type}`) : String(type).replaceAll("_", " ");
}

export function apply(root = document) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-ph]")) el.placeholder = t(el.dataset.i18nPh);
}

export function number(n) {
  return n === null || n === undefined ? "" : new Intl.NumberFormat(lang === "ar" ? "ar" : "en").format(n);
}
