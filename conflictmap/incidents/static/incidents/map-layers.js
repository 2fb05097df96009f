/* The map's incident layers: marker clusters, grid bubbles, heatmap, choropleth, the region / drawn-area /
 * uncertainty overlays, their toggles and the choropleth legend. The groups live in `layers`. */
import { getJSON } from "./map-api.js";
import { choropleth, regionOutline, uncertaintyCircle } from "./map-basemap.js";
import { apiQuery } from "./map-query.js";
import { currentLoad, loaded, state, unitWords, writeUrl } from "./map-state.js";
import { $, fmtNumber, I18N, RTL, text } from "./map-text.js";
import { effectiveFilters } from "./map-timeline.js";
import { track } from "./map-track.js";
import { DETAIL_ZOOM, el, leafletMap, URLS } from "./map-view.js";
import { glyph } from "./palette.js";

/* outline: the chosen region; drawn: the drawn area filter; uncertainty: circle or outline of the hovered or
 * selected incident; clusters: incident markers; cells: grid bubbles; heat: the heatmap. */
export const layers = {};
let chunksDone = null;  // resolves the promise of the running addLayers once its last chunk is in
let heatPoints = [];    // [lat, lon, weight] of what the map shows
let heatTotal = 0;
let choro = null;
let iconCache = {};
const areasCache = {};

/* options.onSelect(id, opts): a marker was clicked (the detail panel's select, wired in by the entry module). */
export function createLayers(map, options) {
  layers.outline = L.featureGroup().addTo(map);
  layers.drawn = L.featureGroup().addTo(map);
  layers.uncertainty = L.featureGroup().addTo(map);
  layers.clusters = L.markerClusterGroup({
    chunkedLoading: true, chunkInterval: 120, chunkDelay: 10, showCoverageOnHover: false,
    maxClusterRadius: 45, spiderfyDistanceMultiplier: 1.4, disableClusteringAtZoom: 14,
    iconCreateFunction: function (cluster) { return bubbleIcon(cluster.getChildCount()); },
    chunkProgress: function (done, total) { if (done >= total && chunksDone) { const f = chunksDone; chunksDone = null; f(); } }
  });
  layers.heat = L.heatLayer([], { radius: 16, blur: 18, maxZoom: 11, minOpacity: 0.35 });
  // Grid cells carry their count as `weight`; merged cells show the sum.
  layers.cells = L.markerClusterGroup({
    showCoverageOnHover: false, maxClusterRadius: 45, spiderfyOnMaxZoom: false,
    iconCreateFunction: function (cluster) {
      return bubbleIcon(cluster.getAllChildMarkers().reduce(function (sum, m) { return sum + m.weight; }, 0));
    }
  });
  layers.cells.on("click", function (ev) {
    map.setView(ev.layer.getLatLng(), Math.max(DETAIL_ZOOM, Math.floor(map.getZoom()) + 2));
  });
  listenToMarkers(layers.clusters, options.onSelect);
  listenToToggles();
}

// One set of listeners on the cluster group, not three closures on each of 50,000 markers.
function listenToMarkers(clusters, select) {
  clusters.on("click", function (ev) { select(ev.layer.row[0], { popup: true }); });
  clusters.on("mouseover", function (ev) {
    const row = ev.layer.row;
    if (row[5] > 1 && state().selected !== row[0]) { showUncertainty(row, null); }
  });
  clusters.on("mouseout", function (ev) {
    if (ev.layer.row[5] > 1 && state().selected !== ev.layer.row[0]) { layers.uncertainty.clearLayers(); }
  });
}

function listenToToggles() {
  ["clusters", "heat", "choropleth"].forEach(function (name) {
    $("l-" + name).addEventListener("change", function () {
      state().layers[name] = $("l-" + name).checked;
      syncLayers();
      writeUrl(true);
      if (name === "choropleth" && state().layers.choropleth) { track(loadChoropleth(currentLoad())); }
      if (name === "heat") { setHeat(); }
    });
  });
  $("l-level").addEventListener("change", function () {
    state().level = +$("l-level").value;
    writeUrl(true);
    track(loadChoropleth(currentLoad()));
  });
}

export function bubbleIcon(n) {
  const size = n < 10 ? 30 : n < 100 ? 36 : n < 1000 ? 42 : 50;
  const span = document.createElement("span");
  span.textContent = n < 10000 ? String(n) : Math.round(n / 1000) + "k";
  const div = document.createElement("div");
  div.appendChild(span);
  return L.divIcon({
    html: div.innerHTML, className: "incident-cluster incident-cluster--" + (n < 10 ? "s" : n < 100 ? "m" : n < 1000 ? "l" : "xl"),
    iconSize: [size, size]
  });
}

function iconFor(typeIndex, precision) {
  const key = typeIndex + ":" + precision;
  if (!iconCache[key]) {
    iconCache[key] = L.divIcon({
      html: glyph(loaded.types[typeIndex], 16), className: "incident-marker incident-marker--p" + precision,
      iconSize: [precision === 1 ? 18 : 26, precision === 1 ? 18 : 26]
    });
  }
  return iconCache[key];
}

/* Forget the icons: the type indexes of a new points answer may differ. */
export function resetIcons() { iconCache = {}; }

export function makeMarker(row) {
  const m = L.marker([row[1], row[2]], { icon: iconFor(row[3], row[5]), keyboard: false });
  m.row = row;
  return m;
}

/* Put markers in the cluster group; resolves once markercluster has added its last chunk. */
export function drawMarkers(subset) {
  return new Promise(function (resolve) {
    const clusters = layers.clusters;
    if (chunksDone) { chunksDone(); chunksDone = null; }
    clusters.clearLayers();
    if (!subset.length) { resolve(); return; }
    // Off the map, markercluster adds synchronously and reports no progress.
    if (!leafletMap().hasLayer(clusters)) { clusters.addLayers(subset); resolve(); return; }
    const t0 = performance.now();
    chunksDone = function () { el.dataset.timingClusters = String(Math.round(performance.now() - t0)); resolve(); };
    clusters.addLayers(subset);
  });
}

/* Grid cells [lat, lon, count] as bubbles. */
export function drawCells(cells) {
  const t0 = performance.now();
  layers.cells.clearLayers();
  layers.cells.addLayers(cells.map(function (c) {
    const m = L.marker([c[0], c[1]], { icon: bubbleIcon(c[2]), keyboard: false });
    m.weight = c[2];
    return m;
  }));
  el.dataset.timingClusters = String(Math.round(performance.now() - t0));
}

/* The heatmap's points ([lat, lon, weight]) and how many incidents they stand for. */
export function setHeatPoints(points, total) {
  heatPoints = points;
  heatTotal = total;
  setHeat();
}

/* leaflet.heat redraws on setLatLngs and fails once removed from the map: only redraw while it is on. */
function setHeat() {
  const heat = layers.heat;
  heat._latlngs = state().layers.heat ? heatPoints : [];
  // Scale the saturation point with the number of incidents, or 50,000 of them paint the country red.
  heat.options.max = Math.max(1, heatTotal / 2500);
  if (leafletMap().hasLayer(heat)) { heat.redraw(); }
}

/* Add or remove each layer as the state's toggles and the markers' mode say. */
export function syncLayers() {
  const map = leafletMap(), on = state().layers;
  [layers.clusters, layers.cells].forEach(function (group) {
    const wanted = on.clusters && (group === layers.cells) === (loaded.mode === "cells");
    if (wanted && !map.hasLayer(group)) { group.addTo(map); }
    if (!wanted && map.hasLayer(group)) { map.removeLayer(group); }
  });
  if (on.heat && !map.hasLayer(layers.heat)) { layers.heat.addTo(map); }
  if (!on.heat && map.hasLayer(layers.heat)) { map.removeLayer(layers.heat); }
  if (!on.choropleth && choro) { map.removeLayer(choro.layer); choro = null; }
  $("choropleth-legend").hidden = !on.choropleth;
  $("l-level").disabled = !on.choropleth;
  el.dataset.layers = ["clusters", "heat", "choropleth"].filter(function (n) { return on[n]; }).join(",");
}

function areas(level) {
  if (!areasCache[level]) { areasCache[level] = getJSON(URLS.areasUrl + "?level=" + level); }
  return areasCache[level];
}

export function loadChoropleth(token) {
  const s = state();
  if (!s.layers.choropleth) { return Promise.resolve(); }
  const q = apiQuery(effectiveFilters());
  q.set("level", String(s.level));
  return Promise.all([getJSON(URLS.choroplethUrl + "?" + q.toString()), areas(s.level)]).then(function (res) {
    if (token !== currentLoad() || !state().layers.choropleth) { return; }
    const map = leafletMap();
    if (choro) { map.removeLayer(choro.layer); }
    choro = choropleth(res[1], res[0], RTL, unitWords()[1]);
    choro.layer.addTo(map);
    el.dataset.choropleth = String(Object.keys(res[0].counts || {}).length);
    choroplethLegend(choro, res[0]);
  });
}

function choroplethLegend(ch, data) {
  const box = $("choropleth-legend");
  box.textContent = "";
  box.appendChild(text("strong", I18N.levels[state().level] + " · " +
    (state().filters.unit === "report" ? I18N.reports_per_unit : I18N.events_per_unit)));
  let lo = 1;
  ch.classes.forEach(function (hi, i) {
    const row = document.createElement("div");
    const sw = document.createElement("span");
    sw.className = "swatch";
    sw.style.background = ch.ramp[i];
    row.appendChild(sw);
    row.appendChild(document.createTextNode(lo === hi ? fmtNumber(hi) : fmtNumber(lo) + "–" + fmtNumber(hi)));
    box.appendChild(row);
    lo = hi + 1;
  });
  if (!ch.classes.length) { box.appendChild(text("div", I18N.none)); }
  box.hidden = false;
  box.dataset.max = String(data.max || 0);
}

/* The uncertainty circle of a hovered row or a selected incident's detail (and the unit it stands for). */
export function showUncertainty(row, detail) {
  const uncertainty = layers.uncertainty;
  uncertainty.clearLayers();
  const precision = row ? row[5] : detail.geo_precision;
  if (precision < 2) { return; }
  const latlng = row ? [row[1], row[2]] : [detail.lat, detail.lon];
  uncertaintyCircle(latlng, precision, detail ? detail.radius_km : 0).addTo(uncertainty);
  // A selected precision-3 incident stands for its governorate: draw that outline too.
  const code = detail && precision === 3 ? detail.admin1_pcode : detail && precision === 2 ? detail.admin3_pcode : "";
  if (code) {
    getJSON(URLS.regionUrl + encodeURIComponent(code)).then(function (feature) {
      if (state().selected === detail.id) { regionOutline(feature).addTo(uncertainty); }
    }).catch(function () {});
  }
}
