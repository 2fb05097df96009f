/* The ACLED layer: ACLED's own events (imported with manage.py import_acled), read-only, under the map's region,
 * dates and drawn area (its other filters code our incidents only), drawn as purple dots on a canvas of their
 * own pane, below our markers, each with a popup of ACLED's id, date, type, actors, fatalities, notes and
 * source; and the "Compare with ACLED" link, which carries all the map's filters. The toggle #l-acled and the
 * link are on the page only when ACLED rows exist (templates/acled/_layer_toggle.html, with the URLs); without
 * them this module does nothing. */
import { getJSON } from "./map-api.js";
import { apiQuery, FILTERS } from "./map-query.js";
import { currentLoad, state, writeUrl } from "./map-state.js";
import { $, fmtDate, fmtNumber, I18N, text } from "./map-text.js";
import { track } from "./map-track.js";
import { el, leafletMap } from "./map-view.js";

const WHERE_WHEN = ["region", "start", "end", "bbox", "polygon"];
const LEVELS = { 1: "governorate", 2: "district", 3: "subdistrict" };
const STYLE = { radius: 5, color: "#ffffff", weight: 1, fillColor: "#6a3d9a", fillOpacity: 0.85, pane: "acled" };
let group = null;

function toggle() { return $("l-acled"); }

/* Make the layer's pane and group, and follow the toggle. */
export function initAcled(map) {
  const box = toggle();
  if (!box) { return; }
  map.createPane("acled").style.zIndex = 450;  // over the outlines (400), under our markers (600)
  group = L.featureGroup([], { pane: "acled" });
  box.checked = !!state().layers.acled;
  box.addEventListener("change", function () {
    state().layers.acled = box.checked;
    writeUrl(true);
    track(loadAcled(currentLoad()));
  });
  // After map-layers.js's own listener (added first) has set the state's level.
  $("l-level").addEventListener("change", syncCompare);
}

/* Fetch and draw ACLED's events for the current filters (or take the layer off when the toggle is off). */
export function loadAcled(token) {
  const box = toggle();
  if (!box || !group) { return Promise.resolve(); }
  syncCompare();
  box.checked = !!state().layers.acled;
  const map = leafletMap();
  if (!box.checked) {
    map.removeLayer(group);
    group.clearLayers();
    $("l-acled-count").textContent = "";
    delete el.dataset.acled;
    return Promise.resolve();
  }
  const omit = FILTERS.filter(function (key) { return WHERE_WHEN.indexOf(key) < 0; });
  const query = apiQuery(state().filters, omit).toString();
  return getJSON(box.dataset.url + (query ? "?" + query : "")).then(function (data) {
    if (token !== currentLoad() || !state().layers.acled) { return; }
    draw(data);
    group.addTo(map);
  });
}

/* Point the comparison at the map's filters, per unit of the choropleth's level. */
function syncCompare() {
  const link = $("l-acled-compare");
  const query = apiQuery(state().filters);
  query.set("level", LEVELS[state().level] || LEVELS[1]);
  link.href = link.dataset.base + "?" + query.toString();
}

function draw(data) {
  const renderer = L.canvas({ pane: "acled" });
  group.clearLayers();
  data.features.forEach(function (f) {
    const c = f.geometry.coordinates;
    const dot = L.circleMarker([c[1], c[0]], Object.assign({ renderer: renderer }, STYLE));
    dot.bindPopup(function () { return popup(f.properties); }, { minWidth: 280, maxWidth: 380 });
    group.addLayer(dot);
  });
  const shown = fmtNumber(data.features.length);
  $("l-acled-count").textContent = data.truncated ? "(" + shown + " / " + fmtNumber(data.count) + ")" : "(" + shown + ")";
  el.dataset.acled = String(data.features.length);
}

/* ACLED's words as ACLED wrote them (notes may be Arabic: each value takes its own direction). */
function popup(p) {
  const box = document.createElement("div");
  box.className = "acled-popup";
  box.appendChild(text("strong", I18N.acled_event));
  const dl = document.createElement("dl");
  const actors = [p.actor1, p.assoc_actor_1, p.actor2, p.assoc_actor_2].filter(Boolean).join("; ");
  [
    [I18N.acled_id, p.event_id_cnty],
    [I18N.f_date, fmtDate(p.event_date)],
    [I18N.f_type, p.sub_event_type ? p.event_type + " · " + p.sub_event_type : p.event_type],
    [I18N.f_place, p.location],
    [I18N.f_actors, actors],
    [I18N.f_fatalities, String(p.fatalities)],
    [I18N.notes, p.notes],
    [I18N.f_source, p.source]
  ].forEach(function (row) {
    if (!row[1]) { return; }
    dl.appendChild(text("dt", row[0]));
    dl.appendChild(text("dd", row[1], { dir: "auto" }));
  });
  box.appendChild(dl);
  return box;
}
