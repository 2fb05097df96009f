/* The map page's one live state: the URL-backed view (filters, layers, selection, slider cursor), what the
 * marker loaders fetched (shared with the list and the layers) and the load generation, behind accessors. */
import { parse, serialize } from "./map-query.js";
import { I18N } from "./map-text.js";
import { leafletMap } from "./map-view.js";

let current = parse("").state;
let loadToken = 0;  // the latest load(): answers to older ones are dropped

/* What the last marker load fetched. mode: "points" (every filtered incident), "cells" (grid bubbles) or
 * "detail" (points near the view). rows: [id, lat, lon, type_index, date, precision], markers parallel;
 * shown: rows after the time slider; cellsData: the last /api/incidents/clusters answer for the filters;
 * filterTotal: incidents passing the filters; pointsBox: in "detail" mode, the area whose points are loaded. */
export const loaded = {
  mode: "points", types: [], rows: [], markers: [], shown: [], cellsData: null, filterTotal: 0, pointsBox: null,
  truncated: false
};

export function state() { return current; }

/* Take the state a query string describes (page load, back/forward); returns its malformed parts. */
export function readUrl(search) {
  const parsed = parse(search);
  current = parsed.state;
  return parsed.problems;
}

export function currentLoad() { return loadToken; }
export function nextLoad() { return ++loadToken; }

function captureView() {
  const map = leafletMap();
  const c = map.getCenter();
  current.view = { zoom: map.getZoom(), lat: c.lat, lon: c.lng };
}

/* Put the state in the address bar: a new history entry when `push`, else replace the current one. */
export function writeUrl(push) {
  captureView();
  const qs = serialize(current);
  const url = location.pathname + (qs ? "?" + qs : "");
  if (url === location.pathname + location.search) { return; }
  if (push) { history.pushState(null, "", url); } else { history.replaceState(null, "", url); }
}

/* The words the counts use, [one, many]: events by default, reports when the filters count reports. */
export function unitWords() {
  return current.filters.unit === "report" ? [I18N.report, I18N.reports] : [I18N.event, I18N.events];
}
