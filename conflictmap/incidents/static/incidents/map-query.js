/* Map page state <-> URL query string (pure functions; map-state.js holds the live state). Everything the analyst sees is in the URL, so a link restores it.
 *
 * parse() never throws: a malformed value is dropped and reported in `problems`, so a bad shared link
 * still opens the map (with a notice) instead of a blank page.
 */

export const FILTERS = ["region", "start", "end", "bbox", "polygon", "event_type", "actor", "source", "precision", "review", "q",
  "synthetic", "unit"];
var LAYERS = ["clusters", "heat", "choropleth", "acled"];
var STEPS = ["day", "week", "month"];
var DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
var PCODE = /^SY\d{2}(\d{2}){0,2}$/;

export function validDate(text) {
  var m = DATE.exec(text || "");
  if (!m) { return false; }
  var d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

export function parseBbox(text) {
  var v = String(text).split(",").map(Number);
  if (v.length !== 4 || v.some(isNaN)) { return null; }
  if (!(v[0] >= -180 && v[0] < v[2] && v[2] <= 180 && v[1] >= -90 && v[1] < v[3] && v[3] <= 90)) { return null; }
  return v;
}

export function parsePolygon(text) {
  try {
    var g = JSON.parse(text);
    var ring = g && g.type === "Polygon" && g.coordinates && g.coordinates[0];
    if (!ring || ring.length < 4) { return null; }
    var ok = ring.every(function (p) {
      return p.length === 2 && Math.abs(p[0]) <= 180 && Math.abs(p[1]) <= 90;
    });
    return ok ? g : null;
  } catch (e) {
    return null;
  }
}

export function defaults() {
  return {
    filters: {}, view: null, layers: { clusters: true, heat: false, choropleth: false, acled: false },
    level: 1, step: "", sort: "desc", selected: null, cursor: "", mode: "acc"
  };
}

/* Check one filter value; return the cleaned value or null when it is malformed. */
function cleanFilter(key, value) {
  value = value.trim();
  if (!value) { return ""; }
  if (key === "start" || key === "end") { return validDate(value) ? value : null; }
  if (key === "region") { value = value.toUpperCase(); return PCODE.test(value) ? value : null; }
  if (key === "bbox") { var b = parseBbox(value); return b ? b.join(",") : null; }
  if (key === "polygon") { return parsePolygon(value) ? value : null; }
  if (key === "precision") {
    var parts = value.split(",");
    return parts.every(function (p) { return /^[123]$/.test(p); }) ? parts.join(",") : null;
  }
  if (key === "synthetic") { return /^(include|exclude|only)$/.test(value) ? value : null; }
  if (key === "unit") { return /^(event|report)$/.test(value) ? (value === "event" ? "" : value) : null; }
  return value.slice(0, 200);
}

function parseView(text) {
  var v = String(text || "").split("/").map(Number);
  if (v.length !== 3 || v.some(isNaN)) { return null; }
  if (v[0] < 6 || v[0] > 16 || Math.abs(v[1]) > 85 || Math.abs(v[2]) > 180) { return null; }
  return { zoom: v[0], lat: v[1], lon: v[2] };
}

/* Read the state from a query string; malformed parts go to `problems` as [parameter, value]. */
export function parse(search) {
  var p = new URLSearchParams(search);
  var state = defaults();
  var problems = [];
  FILTERS.forEach(function (key) {
    if (!p.has(key)) { return; }
    var value = cleanFilter(key, p.get(key));
    if (value === null) { problems.push([key, p.get(key)]); } else if (value) { state.filters[key] = value; }
  });
  var f = state.filters;
  if (f.start && f.end && f.start > f.end) {
    problems.push(["end", f.end]);
    delete f.end;
  }
  if (p.has("map")) {
    state.view = parseView(p.get("map"));
    if (!state.view) { problems.push(["map", p.get("map")]); }
  }
  if (p.has("layers")) {
    var names = p.get("layers").split(",").filter(Boolean);
    if (names.every(function (n) { return LAYERS.indexOf(n) >= 0; })) {
      LAYERS.forEach(function (n) { state.layers[n] = names.indexOf(n) >= 0; });
    } else {
      problems.push(["layers", p.get("layers")]);
    }
  }
  if (p.has("level")) {
    if (/^[123]$/.test(p.get("level"))) { state.level = +p.get("level"); } else { problems.push(["level", p.get("level")]); }
  }
  if (p.has("step")) {
    if (STEPS.indexOf(p.get("step")) >= 0) { state.step = p.get("step"); } else { problems.push(["step", p.get("step")]); }
  }
  if (p.get("sort") === "asc") { state.sort = "asc"; }
  if (p.has("sel")) {
    if (/^\d{1,12}$/.test(p.get("sel"))) { state.selected = +p.get("sel"); } else { problems.push(["sel", p.get("sel")]); }
  }
  if (p.has("t")) {
    if (validDate(p.get("t"))) { state.cursor = p.get("t"); } else { problems.push(["t", p.get("t")]); }
  }
  if (p.get("mode") === "win") { state.mode = "win"; }
  return { state: state, problems: problems };
}

/* Write the state as a query string, in a stable order so equal views give equal links. */
export function serialize(state) {
  var p = new URLSearchParams();
  FILTERS.forEach(function (key) { if (state.filters[key]) { p.set(key, state.filters[key]); } });
  if (state.view) {
    p.set("map", [state.view.zoom, state.view.lat.toFixed(4), state.view.lon.toFixed(4)].join("/"));
  }
  var on = LAYERS.filter(function (n) { return state.layers[n]; });
  if (on.join(",") !== "clusters") { p.set("layers", on.join(",")); }
  if (state.layers.choropleth && state.level !== 1) { p.set("level", String(state.level)); }
  if (state.step) { p.set("step", state.step); }
  if (state.sort === "asc") { p.set("sort", "asc"); }
  if (state.selected) { p.set("sel", String(state.selected)); }
  if (state.cursor) {
    p.set("t", state.cursor);
    if (state.mode === "win") { p.set("mode", "win"); }
  }
  // "/" and "," are legal in a query string: keep the link readable.
  return p.toString().replace(/%2F/g, "/").replace(/%2C/g, ",");
}

/* The API query for the current filters (optionally leaving some out, e.g. dates for the histogram). */
export function apiQuery(filters, omit) {
  var p = new URLSearchParams();
  FILTERS.forEach(function (key) {
    if (filters[key] && (!omit || omit.indexOf(key) < 0)) { p.set(key, filters[key]); }
  });
  return p;
}

/* The view box clipped to the drawn-rectangle filter, as the API's bbox, or null when they do not meet. */
export function viewBbox(bounds, filters) {
  let view = [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()];
  if (filters.bbox) {
    const b = parseBbox(filters.bbox);
    view = [Math.max(b[0], view[0]), Math.max(b[1], view[1]), Math.min(b[2], view[2]), Math.min(b[3], view[3])];
  }
  view = [Math.max(-180, view[0]), Math.max(-90, view[1]), Math.min(180, view[2]), Math.min(90, view[3])];
  if (view[0] >= view[2] || view[1] >= view[3]) { return null; }
  return view.map(function (v) { return v.toFixed(5); }).join(",");
}
