/* A page's words: the translations Django passes as JSON in #map-i18n (the map page, the review queue; their
 * labels come from incidents/_labels_i18n.html), date and number formatting, safe text nodes and the
 * dismissible notices. */

export const I18N = JSON.parse(document.getElementById("map-i18n").textContent);
export const RTL = document.documentElement.dir === "rtl";
export const LANG = document.documentElement.lang === "ar" ? "ar" : "en";
const MONTHS = {
  en: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
  // Levantine (Syriac) month names, as Syrian analysts say them, with the Egyptian/Gulf name after.
  ar: ["كانون الثاني/يناير", "شباط/فبراير", "آذار/مارس", "نيسان/أبريل", "أيار/مايو", "حزيران/يونيو",
    "تموز/يوليو", "آب/أغسطس", "أيلول/سبتمبر", "تشرين الأول/أكتوبر", "تشرين الثاني/نوفمبر", "كانون الأول/ديسمبر"]
};

export function $(id) { return document.getElementById(id); }

/* An element whose content is `value` as text (never parsed as HTML). */
export function text(tag, value, attrs) {
  const node = document.createElement(tag);
  node.textContent = value;
  Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
  return node;
}

export function fmtNumber(n) { return Number(n).toLocaleString("en-US"); }

export function fmtDate(iso) {
  if (!iso) { return I18N.unknown; }
  const p = iso.split("-");
  return String(+p[2]) + " " + MONTHS[LANG][+p[1] - 1] + " " + p[0];
}

/* A date at its precision: "5 Aug 2024" for a day, "week of 5 Aug 2024", "Aug 2024" for a month, "2024" for a year. */
export function fmtDated(iso, precision) {
  if (!iso || !precision || precision === "day") { return fmtDate(iso); }
  if (precision === "year") { return iso.slice(0, 4); }
  return fmtBin(iso, precision);
}

export function fmtMonth(iso) { const p = iso.split("-"); return MONTHS[LANG][+p[1] - 1] + " " + p[0]; }

export function fmtBin(iso, step) {
  if (step === "month") { return fmtMonth(iso); }
  if (step === "week") { return I18N.week_of + " " + fmtDate(iso); }
  return fmtDate(iso);
}

export function typeLabel(type) { return (I18N.types[type || ""] || (type || "").replace(/_/g, " ")) || I18N.types[""]; }

/* ACLED's sub-event type: its own English name, or the page's rendering (I18N.sub_types) of it. */
export function subTypeLabel(sub) { return sub ? I18N.sub_types[sub] || sub : ""; }

/* "Strategic developments · Arrests": the event type with its sub-event type when there is one. */
export function fullTypeLabel(type, sub) {
  return sub ? typeLabel(type) + " · " + subTypeLabel(sub) : typeLabel(type);
}

/* A label or name pair in the page's language first: [first, the other one or ""]. */
export function inPageLanguage(en, ar) {
  const first = LANG === "ar" ? ar || en : en || ar;
  const other = LANG === "ar" ? en : ar;
  return [first || "", other && other !== first ? other : ""];
}

/* A message with its %(name)s placeholders filled from `values`. */
export function fill(message, values) {
  return String(message).replace(/%\((\w+)\)s/g, function (all, name) {
    return values[name] === undefined ? all : String(values[name]);
  });
}

export function plural(n, one, many) { return fmtNumber(n) + " " + (n === 1 ? one : many); }

export function notice(message) {
  const p = document.createElement("p");
  p.className = "notice notice--error map-notice";
  p.setAttribute("role", "alert");
  p.textContent = message;
  const close = document.createElement("button");
  close.type = "button";
  close.className = "map-notice__close";
  close.textContent = "×";
  close.setAttribute("aria-label", I18N.dismiss);
  close.addEventListener("click", function () { p.remove(); });
  p.appendChild(close);
  $("map-notices").appendChild(p);
}

/* One notice per malformed URL parameter, as [parameter, value]. */
export function reportProblems(problems) {
  problems.forEach(function (pr) { notice(I18N.ignored.replace("%(param)s", pr[0]).replace("%(value)s", pr[1])); });
}
