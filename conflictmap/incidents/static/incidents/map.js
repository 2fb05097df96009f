/* Entry module of the analyst's map: builds the map and its parts, wires the URL and the view's moves, starts
 * the first load. Leaflet and its plugins are classic scripts (global `L`) loaded before this module.
 *
 * Data from the server is only ever written with textContent (or as Leaflet text tooltips built from DOM
 * nodes); the only innerHTML is the constant SVG glyph markup from palette.js.
 * `document.body.dataset.ready` is "0" while data loads and "1" once the map shows it (tests and the
 * benchmark wait on it): the markers or grid bubbles of the view are drawn and #incident-count, the number
 * of incidents shown, is final. The list beside the map, the pickers' values and the region tree follow.
 * Large sets (> POINTS_MAX) come as server-side grid cells at country zooms; see map-markers.js.
 */
import { closeDetail, initDetail, select } from "./map-detail.js";
import { applyControls, drawArea, drawRegion, initFilters, loadRegions, syncRegionSelects } from "./map-filters.js";
import { createLayers, layers, syncLayers } from "./map-layers.js";
import { initList, refreshList } from "./map-list.js";
import { load, track } from "./map-load.js";
import { loadMarkers, needsReload } from "./map-markers.js";
import { currentLoad, readUrl, state, writeUrl } from "./map-state.js";
import { reportProblems } from "./map-text.js";
import { createTimeline, stopPlay } from "./map-timeline.js";
import { createMap, el } from "./map-view.js";

/* For tests and the benchmark: the Leaflet map, the marker cluster group and the live state. */
export const handle = { map: null, clusters: null, state: state };

let moveTimer = null;

/* After a pan or zoom settles: record the view and reload the markers if they no longer cover it. */
function onMoveEnd() {
  clearTimeout(moveTimer);
  moveTimer = setTimeout(function () {
    writeUrl(false);
    if (needsReload()) { track(loadMarkers(currentLoad(), true)); } else { refreshList(); }
  }, 200);
}

/* Back or forward: show the state of that history entry. */
function onPopState(map) {
  reportProblems(readUrl(location.search));
  const s = state();
  stopPlay();
  if (s.view) { map.setView([s.view.lat, s.view.lon], s.view.zoom, { animate: false }); }
  applyControls();
  loadRegions().then(function () { syncRegionSelects(); drawRegion(false); });
  drawArea();
  load();
  if (s.selected) { select(s.selected, { history: false }); } else { closeDetail(false); }
}

function start() {
  const problems = readUrl(location.search);
  const map = createMap(state().view);
  createLayers(map);
  initFilters(map);
  createTimeline();
  initList();
  initDetail();
  map.on("moveend", onMoveEnd);
  window.addEventListener("popstate", function () { onPopState(map); });
  handle.map = map;
  handle.clusters = layers.clusters;

  document.body.dataset.ready = "0";
  reportProblems(problems);
  applyControls();
  drawArea();
  syncLayers();
  if (problems.length) { writeUrl(false); }
  // An unknown region in a link is dropped before the first request rather than refused by the server.
  (state().filters.region ? loadRegions() : Promise.resolve()).then(load);
  if (state().selected) { select(state().selected, { history: false }); }
}

if (el && window.L) { start(); }
