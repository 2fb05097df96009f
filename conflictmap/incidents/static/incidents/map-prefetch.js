/* The first paint's requests (the grid of the filtered incidents, the histogram), started from the page head
 * while Leaflet and the other modules load: ~250 ms earlier. map-api.js's getJSON takes them over.
 * map.html loads this module `async` in <head>; the map modules import the same instance, so if it has not
 * run yet it runs (and fetches) when they first import it. */
import { parse, apiQuery } from "./map-query.js";

const CELL_ZOOM = "9";  // CELL_ZOOM in map-markers.js: the URLs must be exactly those the map builds
const started = new Map();  // url -> fetch promise

function start() {
  const urls = document.getElementById("points-prefetch");
  const state = parse(location.search).state;
  if (!urls || state.filters.region) { return; }  // a region is checked against the region tree first
  const cells = apiQuery(state.filters);
  cells.set("zoom", CELL_ZOOM);
  const histogram = apiQuery(state.filters, ["start", "end"]);
  histogram.set("step", state.step || "month");  // autoStep() before the data's span is known
  [urls.dataset.clustersUrl + "?" + cells.toString(), urls.dataset.histogramUrl + "?" + histogram.toString()]
    .forEach(function (url) { started.set(url, fetch(url, { headers: { Accept: "application/json" } })); });
}

/* The prefetched request for `url`, once (a response body reads once), or undefined. */
export function takePrefetched(url) {
  const request = started.get(url);
  started.delete(url);
  return request;
}

start();
