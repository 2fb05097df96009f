/* Loading the incidents onto the map: every filtered incident as a marker, or server-side grid cells for large
 * sets at country zooms; the time slider's subset, the incident count and the event-type legend.
 *
 * With many incidents the server snaps them to a grid (/api/incidents/clusters) and the map draws those cells
 * as bubbles; real markers only when the filtered set is small or the map is zoomed in to a district.
 * Thresholds measured with bench/bench_map_50k.py: 5,000 markers build in ~60 ms, 50,000 in ~450 ms. */
import { getJSON } from "./map-api.js";
import { drawCells, drawMarkers, layers, makeMarker, resetIcons, setHeatPoints, syncLayers } from "./map-layers.js";
import { refreshList } from "./map-list.js";
import { apiQuery, viewBbox } from "./map-query.js";
import { currentLoad, loaded, state, unitWords } from "./map-state.js";
import { $, fmtNumber, I18N, plural, typeLabel } from "./map-text.js";
import { cursorWindow, effectiveFilters } from "./map-timeline.js";
import { DETAIL_ZOOM, el, leafletMap, URLS } from "./map-view.js";
import { glyph } from "./palette.js";

const CELL_ZOOM = 9;           // one grid for every overview zoom: ~1,100 cells for 50k
const POINTS_MAX = 5000;
let markerSeq = 0;  // the latest loadMarkers: a pan's reload must not draw over a newer one

/* Above this many filtered incidents, grid cells. Read when needed, not at import;
 * #incident-map[data-points-max] lets a test pretend a small set is large. */
function pointsMax() { return Number(el.dataset.pointsMax) || POINTS_MAX; }

/* Whether the view moved out of what the loaded markers cover (zoom across DETAIL_ZOOM, pan off the box). */
export function needsReload() {
  const map = leafletMap();
  if (loaded.mode === "cells") { return map.getZoom() >= DETAIL_ZOOM; }
  if (loaded.mode === "detail") { return map.getZoom() < DETAIL_ZOOM || !loaded.pointsBox.contains(map.getBounds()); }
  return false;
}

function clustersQuery(filters) {
  const q = apiQuery(filters);
  q.set("zoom", String(CELL_ZOOM));  // must match map-prefetch.js
  return URLS.clustersUrl + "?" + q.toString();
}

/* Fetch the grid for the filters (or reuse it on a zoom or pan), then draw cells or fetch the points. */
export function loadMarkers(token, reuse) {
  const seq = ++markerSeq;
  const cells = reuse && loaded.cellsData ? Promise.resolve(loaded.cellsData) : getJSON(clustersQuery(state().filters));
  return cells.then(function (data) {
    if (token !== currentLoad() || seq !== markerSeq) { return; }
    loaded.cellsData = data;
    loaded.filterTotal = data.count;
    loaded.types = data.types || [];
    if (data.count <= pointsMax()) { return loadPoints(token, seq, null); }
    if (leafletMap().getZoom() >= DETAIL_ZOOM) { return loadPoints(token, seq, leafletMap().getBounds().pad(0.5)); }
    loaded.mode = "cells";
    loaded.pointsBox = null;
    loaded.rows = loaded.markers = [];
    layers.clusters.clearLayers();
    syncLayers();
    legend(data.type_counts);
    return applyTime(token);
  });
}

/* Markers for every filtered incident (box null) or for those in the box around the view ("detail"). */
function loadPoints(token, seq, box) {
  const filters = state().filters;
  const q = apiQuery(filters);
  const bbox = box ? viewBbox(box, filters) : "";
  if (bbox) { q.set("bbox", bbox); }
  const request = box && !bbox
    ? Promise.resolve({ types: loaded.types, rows: [], count: 0 })
    : getJSON(URLS.pointsUrl + "?" + q.toString());
  return request.then(function (data) {
    if (token !== currentLoad() || seq !== markerSeq) { return; }
    showPoints(data, box);
    return applyTime(token);
  });
}

function showPoints(data, box) {
  loaded.mode = box ? "detail" : "points";
  loaded.pointsBox = box;
  loaded.types = data.types || [];
  const rows = loaded.rows = data.rows || [];
  loaded.truncated = data.count > rows.length && !box;
  resetIcons();
  layers.cells.clearLayers();
  syncLayers();
  const t0 = performance.now();
  loaded.markers = rows.map(makeMarker);
  el.dataset.timingMarkers = String(Math.round(performance.now() - t0));
  let n = {};
  if (box) { n = loaded.cellsData.type_counts; } else { rows.forEach(function (r) { n[r[3]] = (n[r[3]] || 0) + 1; }); }
  legend(n);
}

/* Put what passes the time slider on the map (markers or cells, and heat); resolves when drawn. */
export function applyTime(token) {
  el.dataset.mode = loaded.mode;
  if (loaded.mode === "cells") { return applyTimeCells(token); }
  const w = cursorWindow();
  const shown = loaded.shown = [];
  const subset = [];
  loaded.rows.forEach(function (r, i) {
    if (w && (!r[4] || r[4] > w.end || (w.start && r[4] < w.start))) { return; }
    shown.push(r);
    subset.push(loaded.markers[i]);
  });
  setHeatPoints(shown.map(function (r) { return [r[1], r[2], 1]; }), shown.length);
  // Around the view only part of the incidents is loaded: the count comes from the grid of the whole set.
  const detail = loaded.mode === "detail";
  const counted = detail ? countFor(effectiveFilters()) : Promise.resolve(shown.length);
  return Promise.all([counted, drawMarkers(subset)]).then(function (res) {
    if (token !== currentLoad() && token !== undefined) { return; }
    el.dataset.markers = String(subset.length);
    counts(res[0], detail ? loaded.filterTotal : loaded.rows.length);
    refreshList();
  });
}

function countFor(filters) {
  if (!cursorWindow()) { return Promise.resolve(loaded.filterTotal); }
  return getJSON(clustersQuery(filters)).then(function (data) { return data.count; });
}

/* Cells mode: the grid of the filters, or of the slider's dates when the cursor is set. */
function applyTimeCells(token) {
  const seq = markerSeq;
  const data = cursorWindow() ? getJSON(clustersQuery(effectiveFilters())) : Promise.resolve(loaded.cellsData);
  return data.then(function (d) {
    if ((token !== currentLoad() && token !== undefined) || seq !== markerSeq || loaded.mode !== "cells") { return; }
    drawCells(d.cells);
    el.dataset.markers = "0";
    el.dataset.cells = String(d.cells.length);
    loaded.shown = [];
    setHeatPoints(d.cells.map(function (c) { return [c[0], c[1], c[2]]; }), d.count);
    counts(d.count, loaded.filterTotal);
    refreshList();
  });
}

function counts(n, total) {
  $("incident-count").textContent = String(n);
  $("incident-count").dataset.count = String(n);
  const words = unitWords();
  let text = n === total
    ? plural(total, words[0], words[1])
    : fmtNumber(n) + " " + I18N.of + " " + plural(total, words[0], words[1]);
  if (loaded.truncated) { text += " " + I18N.truncated; }
  $("map-status").textContent = text;
}

/* n: incidents per type index (an object or the clusters' type_counts array). */
function legend(n) {
  const box = $("map-legend");
  box.textContent = "";
  loaded.types.map(function (t, i) { return [t, i]; }).sort(function (a, b) { return (n[b[1]] || 0) - (n[a[1]] || 0); })
    .forEach(function (ti) {
      if (!n[ti[1]]) { return; }
      const row = document.createElement("div");
      row.className = "legend-row";
      const icon = document.createElement("span");
      icon.className = "legend-icon";
      icon.innerHTML = glyph(ti[0], 14);  // constant markup from our palette, no data
      row.appendChild(icon);
      row.appendChild(document.createTextNode(typeLabel(ti[0]) + " (" + fmtNumber(n[ti[1]]) + ")"));
      box.appendChild(row);
    });
  const p = document.createElement("div");
  p.className = "legend-row legend-row--precision";
  const ring = document.createElement("span");
  ring.className = "legend-ring";
  p.appendChild(ring);
  p.appendChild(document.createTextNode(I18N.legend_uncertain));
  box.appendChild(p);
}
