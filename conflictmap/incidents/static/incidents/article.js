/* Article page module: poll the status until geocoding settles, and draw the incidents on a small map. */
import { colour, popup } from "./palette.js";

function pollStatus() {
  const status = document.getElementById("article-status");
  const article = document.querySelector(".article");
  if (!status || !article || ["pending", "processing"].indexOf(article.dataset.status) < 0) { return; }
  const url = status.dataset.statusUrl;
  const poll = function () {
    fetch(url, { headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (data.status === "done" || data.status === "failed") { window.location.reload(); }
        else { window.setTimeout(poll, 1500); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  };
  window.setTimeout(poll, 1000);
}

function drawIncidents(mapEl, points) {
  const map = L.map(mapEl, { attributionControl: true });
  const tiles = mapEl.dataset.tileUrl;
  if (tiles) { L.tileLayer(tiles, { attribution: mapEl.dataset.tileAttribution || "" }).addTo(map); }
  fetch("/gazetteer/boundaries.geojson?level=1").then(function (r) { return r.json(); }).then(function (fc) {
    L.geoJSON(fc, { style: { color: "#777", weight: 1, fillColor: "#f4f1ea", fillOpacity: 0.6 }, interactive: false })
      .addTo(map).bringToBack();
  }).catch(function () {});
  const bounds = [];
  points.forEach(function (p) {
    const marker = L.circleMarker([p.lat, p.lon], {
      radius: p.primary ? 9 : 6, color: "#222", weight: 1, fillColor: colour(p.event_type), fillOpacity: 0.9
    }).addTo(map);
    marker.bindPopup(popup([
      ["Location", [p.label_en, p.label_ar].filter(Boolean).join(" / ")],
      ["Date", p.date ? p.date + " (" + p.date_precision + ")" : ""],
      ["Geo-precision", String(p.geo_precision)],
      ["Type", [p.event_type, p.sub_event_type].filter(Boolean).join(" · ")]
    ]));
    bounds.push([p.lat, p.lon]);
  });
  if (bounds.length) { map.fitBounds(bounds, { maxZoom: 9, padding: [30, 30] }); }
  else { map.setView([35.0, 38.5], 6); }
}

pollStatus();
const mapEl = document.getElementById("article-map");
const dataEl = document.getElementById("incident-points");
if (mapEl && dataEl && window.L) { drawIncidents(mapEl, JSON.parse(dataEl.textContent)); }
