/* Loading bookkeeping: load() reloads everything for the filters, track() keeps body[data-ready] at "0"
 * while any tracked request runs (tests and the benchmark wait for "1"), handleError() reports failures. */
import { applyControls, drawArea, loadFacets, loadRegions, syncRegionSelects } from "./map-filters.js";
import { layers, loadChoropleth, syncLayers } from "./map-layers.js";
import { loadMarkers } from "./map-markers.js";
import { FILTERS } from "./map-query.js";
import { nextLoad, state, writeUrl } from "./map-state.js";
import { $, I18N, notice } from "./map-text.js";
import { loadHistogram } from "./map-timeline.js";

let pending = 0;
let painted = false;

/* `ready` is "1" once the markers or grid bubbles of the view are drawn and #incident-count is final. */
export function track(promise) {
  pending += 1;
  document.body.dataset.ready = "0";
  return promise.catch(handleError).finally(function () {
    pending -= 1;
    if (pending === 0) {
      document.body.dataset.ready = "1";
      if (!painted) { painted = true; setTimeout(afterFirstPaint, 0); }
    }
  });
}

export function handleError(err) {
  const f = state().filters;
  if (err && err.parameter && FILTERS.indexOf(err.parameter) >= 0 && f[err.parameter] === undefined) {
    return;  // a parallel request already dropped this parameter and reloaded
  }
  if (err && err.parameter && f[err.parameter] !== undefined) {
    dropRefused(err);
    return;
  }
  notice(I18N.load_failed + " " + (err && err.message ? err.message : ""));
}

/* The server refused one filter: drop it, say so, and show the rest rather than nothing. */
function dropRefused(err) {
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

/* Reload the markers, the histogram and the choropleth for the current filters. */
export function load() {
  const token = nextLoad();
  $("map-status").textContent = I18N.loading;
  syncLayers();
  track(loadMarkers(token, false));
  track(loadHistogram(token));
  track(loadChoropleth(token));
}

/* Requests the first paint does not need (pickers' values, region tree) go out once the page is ready:
 * sent earlier they hold up the histogram and list on the 2-core server (measured: ~100 ms). */
function afterFirstPaint() {
  loadFacets();
  loadRegions();
}
