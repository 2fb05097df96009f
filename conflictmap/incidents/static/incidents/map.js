/* Entry module of the analyst's map: builds the map and its parts, wires the URL and the view's moves, starts
 * the first load. Leaflet and its plugins are classic scripts (global `L`) loaded before this module.
 *
 * Data from the server is only ever written with textContent (or as Leaflet text tooltips built from DOM
 * nodes); the only innerHTML is the constant SVG glyph markup from palette.js.
 * `document.body.dataset.ready` is "0" while data loads and "1" once the map shows it (tests and the
 * benchmark wait on it): the markers or grid bubbles of the view are drawn and #incident-count, the number
 * of incidents shown, is final. The list beside the map, the pickers' values and the region tree follow.
 * Large sets (> POINTS_MAX) come as server-side grid cells at country zooms; see map-markers.js.
 *
 * The modules import each other without cycles (tests/test_js_modules.py): a module that must call one above
 * it (a marker click selects, the timeline's brush changes the filters, a refused filter is dropped by the
 * filter panel) is handed that function here, when it is created.
 */
import { initAcled } from "./map-acled.js";
import { closeDetail, initDetail, select } from "./map-detail.js";
import {
  applyControls, changed, drawArea, drawRegion, dropRefused, initFilters, loadFacets, loadRegions, syncRegionSelects
} from "./map-filters.js";
import { createLayers, layers, loadChoropleth, syncLayers } from "./map-layers.js";
import { initList, refreshList } from "./map-list.js";
import { load } from "./map-load.js";
import { applyTime, loadMarkers, needsReload } from "./map-markers.js";
import { currentLoad, readUrl, state, writeUrl } from "./map-state.js";
import { reportProblems } from "./map-text.js";
import { createTimeline, stopPlay } from "./map-timeline.js";
import { initTrack, track } from "./map-track.js";
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

/* Requests the first paint does not need (pickers' values, region tree) go out once the page is ready:
 * sent earlier they hold up the histogram and list on the 2-core server (measured: ~100 ms). */
function afterFirstPaint() {
  loadFacets();
  loadRegions();
}

function start() {
  const problems = readUrl(location.search);
  initTrack({ onRefused: dropRefused, onFirstPaint: afterFirstPaint });
  const map = createMap(state().view);
  createLayers(map, { onSelect: select });
  initAcled(map);
  initFilters(map);
  createTimeline({ changed: changed, applyTime: applyTime, loadChoropleth: loadChoropleth });
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
