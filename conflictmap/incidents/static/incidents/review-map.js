/* The queue's small map: our offline basemap (admin outlines, neighbouring countries), the incident's point,
 * the selected mention's candidates as numbered pins, and a click that proposes a new point. Names go into
 * tooltips as text nodes. */
import { addAdminLevels, addCountries, basemapPanes } from "./map-basemap.js";
import { I18N, inPageLanguage, RTL, text } from "./map-text.js";

const SYRIA = [[32.3, 35.6], [37.35, 42.4]];
// Framing: a lone point at district scale (its district's outline and name show), several points at most this close.
const ALONE_ZOOM = 9;
const MAX_ZOOM = 11;
let map = null;
let layer = null;    // the incident's point and the candidates
let pending = null;  // the clicked point, not yet saved
let pinClicked = function () {};

/* Build the map in `el`; onClick(latlng) for a click on the map, onPin(n) for candidate pin n (1-based). */
export function createMiniMap(el, onClick, onPin) {
  map = L.map(el, { zoomSnap: 0.5, minZoom: 5, maxZoom: 16, preferCanvas: true });
  basemapPanes(map);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution(I18N.attribution);
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution || "", maxZoom: 19 }).addTo(map);
  }
  map.fitBounds(SYRIA);
  const urls = document.getElementById("review").dataset;
  addCountries(map, urls.countriesUrl, RTL).catch(function (err) { console.warn("countries: " + err.message); });
  // Governorates and districts: sub-districts' hundreds of labels would cost ~100 ms at each change of zoom.
  addAdminLevels(map, urls.boundariesUrl, RTL, el, 2);
  layer = L.layerGroup().addTo(map);
  map.on("click", function (e) { onClick(e.latlng); });
  pinClicked = onPin;
  return map;
}

export function miniMap() { return map; }

function pin(n, chosen) {
  return L.divIcon({
    className: "result-pin candidate-pin" + (chosen ? " is-active" : ""),
    html: "<span>" + Number(n) + "</span>",  // a number only: no data in the markup
    iconSize: [26, 26]
  });
}

function placeTip(c) {
  const names = inPageLanguage(c.name_en, c.name_ar);
  const box = document.createElement("div");
  box.appendChild(text("strong", names[0] || c.pcode, { dir: "auto" }));
  if (names[1]) { box.appendChild(text("div", names[1], { dir: "auto" })); }
  box.appendChild(text("div", I18N.kinds[c.kind] || c.kind));
  return box;
}

/* Draw the incident `d` and the candidates of mention `m` (or none), and frame them; with `keep`, the view
 * moves only if some of them are out of it (another mention of the incident shown). */
export function drawIncident(d, m, keep) {
  if (!map) { return; }
  layer.clearLayers();
  clearPending();
  const here = L.latLng(d.lat, d.lon);
  const points = [here];
  // A ring round the point: the chosen candidate's pin usually stands on it and stays readable inside.
  L.circleMarker(here, { radius: 17, color: "#dc2626", weight: 3, fillColor: "#dc2626", fillOpacity: 0.15, className: "incident-point" })
    .bindTooltip(text("strong", inPageLanguage(d.label_en, d.label_ar)[0], { dir: "auto" }))
    .addTo(layer);
  ((m && m.candidates) || []).forEach(function (c, i) {
    const at = L.latLng(c.lat, c.lon);
    points.push(at);
    L.marker(at, { icon: pin(i + 1, c.chosen), keyboard: false, riseOnHover: true })
      .bindTooltip(placeTip(c), { direction: "top", offset: [0, -12] })
      .on("click", function () { pinClicked(i + 1); })
      .addTo(layer);
  });
  map.invalidateSize();
  const bounds = L.latLngBounds(points);
  if (keep && map.getBounds().contains(bounds)) { return; }
  if (points.length === 1) { map.setView(here, ALONE_ZOOM, { animate: false }); }
  else { map.fitBounds(bounds, { maxZoom: MAX_ZOOM, padding: [28, 28], animate: false }); }
}

/* Mark the clicked point the reviewer may turn into a new place. */
export function showPending(latlng) {
  clearPending();
  pending = L.circleMarker(latlng, { radius: 8, color: "#1f4e79", weight: 2, dashArray: "3 3", fillColor: "#93c5fd", fillOpacity: 0.7 })
    .addTo(map);
}

export function clearPending() {
  if (pending) { pending.remove(); pending = null; }
}
