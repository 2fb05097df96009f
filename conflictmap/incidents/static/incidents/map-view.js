/* The Leaflet map itself: its element (with the API URLs as data attributes), panes, basemap and scale. */
import { addAdminLevels, addCountries, basemapPanes } from "./map-basemap.js";
import { I18N, RTL } from "./map-text.js";

export const el = document.getElementById("incident-map");
export const URLS = el ? el.dataset : {};
export const SYRIA = [[32.3, 35.6], [37.35, 42.4]];
export const DETAIL_ZOOM = 10;  // from here, real markers of the incidents around the view (map-markers.js)
let map = null;

/* The page's one L.map (null before createMap). */
export function leafletMap() { return map; }

/* Build the map at `view` ({zoom, lat, lon}) or on Syria, with our panes and the offline basemap. */
export function createMap(view) {
  map = L.map(el, { zoomSnap: 0.5, minZoom: 6, maxZoom: 16, preferCanvas: false, worldCopyJump: false });
  basemapPanes(map);
  map.createPane("choropleth").style.zIndex = 390;
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution(I18N.attribution);
  if (URLS.tileUrl) {
    L.tileLayer(URLS.tileUrl, { attribution: URLS.tileAttribution || "", maxZoom: 19 }).addTo(map);
    el.classList.add("map--tiles");
  }
  if (view) { map.setView([view.lat, view.lon], view.zoom); } else { map.fitBounds(SYRIA); }
  L.control.scale({ imperial: false, position: RTL ? "bottomright" : "bottomleft" }).addTo(map);
  addCountries(map, URLS.countriesUrl, RTL).catch(function (err) { console.warn("countries: " + err.message); });
  addAdminLevels(map, URLS.boundariesUrl, RTL, el);
  return map;
}
