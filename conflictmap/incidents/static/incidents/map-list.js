/* The list beside the map: the incidents in view (newest or oldest first), each opening its detail. */
import { getJSON } from "./map-api.js";
import { select } from "./map-detail.js";
import { apiQuery, viewBbox } from "./map-query.js";
import { loaded, state, writeUrl } from "./map-state.js";
import { $, fmtDate, fmtNumber, I18N, LANG, plural, text, typeLabel } from "./map-text.js";
import { effectiveFilters } from "./map-timeline.js";
import { handleError } from "./map-track.js";
import { leafletMap, URLS } from "./map-view.js";
import { glyph } from "./palette.js";

const LIST_LIMIT = 60;
let listToken = 0;  // the latest refreshList: an older answer must not replace a newer list

export function initList() {
  $("list-sort").addEventListener("change", function () {
    state().sort = $("list-sort").value;
    writeUrl(true);
    refreshList();
  });
}

function showCount(n) {
  const reports = state().filters.unit === "report";
  $("list-count").textContent = reports
    ? plural(n, I18N.report_in_view, I18N.reports_in_view)
    : plural(n, I18N.event_in_view, I18N.events_in_view);
}

export function refreshList() {
  const token = ++listToken;
  const bounds = leafletMap().getBounds();
  const f = effectiveFilters();
  const bbox = viewBbox(bounds, f);
  // With markers loaded the count in view is known here; with grid cells the list's answer tells it.
  const inView = loaded.mode === "cells" ? null : loaded.shown.filter(function (r) { return bounds.contains([r[1], r[2]]); }).length;
  if (inView !== null) { showCount(inView); }
  if (inView === 0 || !bbox) {
    $("incident-list").textContent = "";
    if (inView === null) { showCount(0); }
    return;
  }
  // Not tracked: "ready" means the markers and the count are final; the list fills in just after.
  fetchList(f, bbox).then(function (fc) {
    if (token !== listToken) { return; }
    const features = fc.features || [];
    if (inView === null) { showCount(fc.count); }
    renderList(features, fc.count);
  }).catch(handleError);
}

/* The API lists newest first, or oldest first with order=asc: the first page is the list either way. */
function fetchList(filters, bbox) {
  const q = apiQuery(filters);
  q.set("bbox", bbox);
  q.set("limit", String(LIST_LIMIT));
  if (state().sort === "asc") { q.set("order", "asc"); }
  return getJSON(URLS.incidentsUrl + "?" + q.toString());
}

function renderList(features, total) {
  const list = $("incident-list");
  list.textContent = "";
  features.forEach(function (f) { list.appendChild(listItem(f)); });
  if (total > features.length) {
    list.appendChild(text("li", I18N.more.replace("%(n)s", fmtNumber(total - features.length)), { class: "incident-list__more" }));
  }
}

function listItem(f) {
  const p = f.properties;
  const li = document.createElement("li");
  const btn = document.createElement("button");
  btn.type = "button";
  btn.className = "incident-item" + (p.id === state().selected ? " is-selected" : "");
  btn.dataset.id = String(p.id);
  const icon = document.createElement("span");
  icon.className = "incident-item__icon";
  icon.innerHTML = glyph(p.event_type, 14);  // constant markup from our palette
  btn.appendChild(icon);
  const body = document.createElement("span");
  body.className = "incident-item__body";
  const place = (LANG === "ar" ? p.label_ar || p.label_en : p.label_en || p.label_ar) || I18N.unknown;
  body.appendChild(text("span", place, { class: "incident-item__place", dir: "auto" }));
  body.appendChild(text("span", fmtDate(p.date) + " · " + typeLabel(p.event_type) + " · " + I18N.precision_short + p.geo_precision,
    { class: "incident-item__meta" }));
  if (p.title) { body.appendChild(text("span", p.title, { class: "incident-item__title", dir: "auto" })); }
  btn.appendChild(body);
  btn.addEventListener("click", function () { flyTo(f); });
  li.appendChild(btn);
  return li;
}

/* A list entry (GeoJSON feature) was chosen: centre on it, open its popup and the detail panel. */
function flyTo(feature) {
  const c = feature.geometry.coordinates;
  select(feature.properties.id, { popup: true, latlng: L.latLng(c[1], c[0]) });
}
