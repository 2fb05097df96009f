/* The filter panel: region pickers (and the region tree behind them), dates, type/actor/source pickers,
 * precision, text search, the drawn-area filter and "reset all"; changed() records a change and reloads. */
import { getJSON } from "./map-api.js";
import { closeDetail } from "./map-detail.js";
import { layers } from "./map-layers.js";
import { load } from "./map-load.js";
import { parseBbox, parsePolygon } from "./map-query.js";
import { state, writeUrl } from "./map-state.js";
import { $, I18N, LANG, notice, RTL, typeLabel } from "./map-text.js";
import { stopPlay } from "./map-timeline.js";
import { leafletMap, SYRIA, URLS } from "./map-view.js";

const AREA_STYLE = { color: "#7c3aed", weight: 2, fillOpacity: 0.06 };
const regions = {};    // pcode -> node of /api/regions
let rootRegions = [];
let regionsReady = null;
let typing = null;

function selects() { return [$("f-gov"), $("f-dist"), $("f-sub")]; }

export function initFilters(map) {
  selects().forEach(function (s, i) { s.addEventListener("change", function () { onRegionChange(i); }); });
  listenToControls();
  addDrawControl(map);
  $("f-area-clear").addEventListener("click", function () {
    delete state().filters.bbox;
    delete state().filters.polygon;
    drawArea();
    changed();
  });
}

/* The server refused one filter: drop it, say so, and show the rest rather than nothing. */
export function dropRefused(err) {
  const f = state().filters;
  notice(I18N.ignored.replace("%(param)s", err.parameter).replace("%(value)s", f[err.parameter]) +
    " (" + err.message + ")");
  delete f[err.parameter];
  if (err.parameter === "region") { syncRegionSelects(); layers.outline.clearLayers(); }
  if (err.parameter === "bbox" || err.parameter === "polygon") { drawArea(); }
  applyControls();
  writeUrl(false);
  setTimeout(load, 0);
}

/* A filter changed: record it in history and reload the data. */
export function changed() {
  const f = state().filters;
  stopPlay();
  state().cursor = "";
  writeUrl(true);
  $("f-area-clear").hidden = !(f.bbox || f.polygon);
  load();
}

function fillSelect(select, items, keep) {
  const current = keep !== undefined ? keep : select.value;
  while (select.options.length > 1) { select.remove(1); }
  items.forEach(function (item) {
    const opt = document.createElement("option");
    opt.value = item[0];
    opt.textContent = item[1];
    select.appendChild(opt);
  });
  // A value from the URL that the facets do not list still filters: keep it as an option.
  if (current && !items.some(function (i) { return i[0] === current; })) {
    const extra = document.createElement("option");
    extra.value = current;
    extra.textContent = current;
    select.appendChild(extra);
  }
  select.value = current || "";
}

/* ---------- regions ---------- */

function regionLabel(node) {
  const first = LANG === "ar" ? node.name_ar : node.name_en;
  const second = LANG === "ar" ? node.name_en : node.name_ar;
  return first && second && first !== second ? first + " — " + second : (first || second || node.pcode);
}

function regionItems(nodes) {
  return (nodes || []).slice().sort(function (a, b) {
    return regionLabel(a).localeCompare(regionLabel(b), LANG);
  }).map(function (n) { return [n.pcode, regionLabel(n)]; });
}

export function syncRegionSelects() {
  const sel = selects();
  const code = state().filters.region || "";
  const chain = [code.slice(0, 4), code.length >= 6 ? code.slice(0, 6) : "", code.length >= 8 ? code : ""];
  fillSelect(sel[0], regionItems(rootRegions), chain[0]);
  for (let i = 1; i < 3; i++) {
    const parent = regions[chain[i - 1]];
    fillSelect(sel[i], regionItems(parent ? parent.children : []), chain[i]);
    sel[i].disabled = !parent || !parent.children || !parent.children.length;
  }
}

/* The region tree (~100 kB) waits for the first markers unless the link names a region. */
export function loadRegions() {
  if (!regionsReady) { regionsReady = fetchRegions(); }
  return regionsReady;
}

function fetchRegions() {
  return getJSON(URLS.regionsUrl).then(function (tree) {
    rootRegions = tree.regions || [];
    (function index(nodes) { nodes.forEach(function (n) { regions[n.pcode] = n; index(n.children || []); }); })(rootRegions);
    const f = state().filters;
    if (f.region && !regions[f.region]) {
      notice(I18N.unknown_region.replace("%(code)s", f.region));
      delete f.region;
      writeUrl(false);
    }
    syncRegionSelects();
    drawRegion(false);
  }).catch(function (err) { notice(I18N.load_failed + " " + err.message); });
}

/* Outline the chosen region, zooming to it when `zoom`. */
export function drawRegion(zoom) {
  layers.outline.clearLayers();
  const code = state().filters.region;
  if (!code || !regions[code]) { return; }
  const b = regions[code].bbox;
  if (zoom) { leafletMap().fitBounds([[b[1], b[0]], [b[3], b[2]]], { padding: [20, 20] }); }
  getJSON(URLS.regionUrl + encodeURIComponent(code)).then(function (feature) {
    if (state().filters.region !== code) { return; }
    L.geoJSON(feature, {
      interactive: false, style: { color: "#1f4e79", weight: 3, fill: false, className: "region-outline" }
    }).addTo(layers.outline);
  }).catch(function () {});
}

function onRegionChange(level) {
  const sel = selects();
  const code = sel[level].value || (level > 0 ? sel[level - 1].value : "");
  if (code) { state().filters.region = code; } else { delete state().filters.region; }
  syncRegionSelects();
  if (code) { drawRegion(true); } else { layers.outline.clearLayers(); leafletMap().fitBounds(SYRIA); }
  changed();
}

/* ---------- the other controls ---------- */

function setFilter(key, value) {
  if (value) { state().filters[key] = value; } else { delete state().filters[key]; }
}

function readControls() {
  setFilter("start", $("f-start").value);
  setFilter("end", $("f-end").value);
  setFilter("event_type", $("f-type").value);
  setFilter("actor", $("f-actor").value);
  setFilter("source", $("f-source").value);
  setFilter("review", $("f-review").value);
  setFilter("unit", $("f-unit").value);
  setFilter("q", $("f-q").value.trim());
  const prec = Array.prototype.filter.call(document.querySelectorAll("input[name=precision]"), function (c) {
    return c.checked;
  }).map(function (c) { return c.value; });
  setFilter("precision", prec.length === 3 || prec.length === 0 ? "" : prec.join(","));
}

/* Show the state in every control (page load, back/forward, a refused filter). */
export function applyControls() {
  const s = state(), f = s.filters;
  $("f-start").value = f.start || "";
  $("f-end").value = f.end || "";
  ["type", "actor", "source"].forEach(function (k) {
    const key = k === "type" ? "event_type" : k;
    const sel = $("f-" + k);
    fillSelect(sel, Array.prototype.slice.call(sel.options, 1).map(function (o) { return [o.value, o.textContent]; }),
      f[key] || "");
  });
  $("f-q").value = f.q || "";
  $("f-review").value = f.review || "";
  $("f-unit").value = f.unit || "";
  const prec = (f.precision || "1,2,3").split(",");
  document.querySelectorAll("input[name=precision]").forEach(function (c) { c.checked = prec.indexOf(c.value) >= 0; });
  $("l-clusters").checked = s.layers.clusters;
  $("l-heat").checked = s.layers.heat;
  $("l-choropleth").checked = s.layers.choropleth;
  $("l-level").value = String(s.level);
  $("t-step").value = s.step || "";
  $("t-mode").value = s.mode;
  $("list-sort").value = s.sort;
  $("f-area-clear").hidden = !(f.bbox || f.polygon);
}

function listenToControls() {
  ["f-start", "f-end", "f-type", "f-actor", "f-source", "f-review", "f-unit"].forEach(function (id) {
    $(id).addEventListener("change", function () {
      readControls();
      const f = state().filters;
      if (f.start && f.end && f.start > f.end) {
        notice(I18N.bad_range);
        delete f.end;
        $("f-end").value = "";
      }
      changed();
    });
  });
  document.querySelectorAll("input[name=precision]").forEach(function (c) {
    c.addEventListener("change", function () { readControls(); changed(); });
  });
  $("f-q").addEventListener("input", function () {
    clearTimeout(typing);
    typing = setTimeout(function () { readControls(); changed(); }, 350);
  });
  $("f-reset").addEventListener("click", resetAll);
}

function resetAll() {
  state().filters = {};
  state().selected = null;
  applyControls();
  syncRegionSelects();
  layers.outline.clearLayers();
  layers.drawn.clearLayers();
  closeDetail(false);
  leafletMap().fitBounds(SYRIA);
  changed();
}

/* The pickers' values are not needed for the first paint: asked for once the markers are drawn. */
export function loadFacets() {
  getJSON(URLS.facetsUrl).then(function (facets) {
    const f = state().filters;
    fillSelect($("f-type"), (facets.event_types || []).map(function (t) { return [t, typeLabel(t)]; }), f.event_type || "");
    fillSelect($("f-actor"), (facets.actors || []).map(function (a) { return [a, a]; }), f.actor || "");
    fillSelect($("f-source"), (facets.sources || []).map(function (s) { return [s, s]; }), f.source || "");
    $("f-start").min = $("f-end").min = facets.date_min || "";
    $("f-start").max = $("f-end").max = facets.date_max || "";
  }).catch(function (err) { console.warn("facets: " + err.message); });
}

/* ---------- drawn area ---------- */

function round(v) { return Math.round(v * 10000) / 10000; }

function addDrawControl(map) {
  map.addControl(new L.Control.Draw({
    position: RTL ? "topright" : "topleft",
    draw: {
      polyline: false, circle: false, marker: false, circlemarker: false,
      rectangle: { shapeOptions: Object.assign({}, AREA_STYLE) },
      polygon: { allowIntersection: false, showArea: false, shapeOptions: Object.assign({}, AREA_STYLE) }
    },
    edit: false
  }));
  map.on(L.Draw.Event.CREATED, function (ev) { setArea(ev.layerType, ev.layer); });
}

function setArea(layerType, layer) {
  const f = state().filters;
  delete f.bbox;
  delete f.polygon;
  if (layerType === "rectangle") {
    const b = layer.getBounds();
    f.bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(round).join(",");
  } else {
    const ring = layer.getLatLngs()[0].map(function (ll) { return [round(ll.lng), round(ll.lat)]; });
    ring.push(ring[0]);
    f.polygon = JSON.stringify({ type: "Polygon", coordinates: [ring] });
  }
  drawArea();
  changed();
}

/* Draw the bbox or polygon filter of the state. */
export function drawArea() {
  const f = state().filters;
  layers.drawn.clearLayers();
  const style = Object.assign({ interactive: false, className: "drawn-area" }, AREA_STYLE);
  if (f.bbox) {
    const b = parseBbox(f.bbox);
    L.rectangle([[b[1], b[0]], [b[3], b[2]]], style).addTo(layers.drawn);
  } else if (f.polygon) {
    L.geoJSON(parsePolygon(f.polygon), { style: style, interactive: false }).addTo(layers.drawn);
  }
  $("f-area-clear").hidden = !(f.bbox || f.polygon);
}
