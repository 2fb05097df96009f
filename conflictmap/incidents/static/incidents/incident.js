/* Incident page module: the incident and the places it names on a small map over our offline basemap, and the
 * reviewer's "Revert to this version" buttons, which post to the review API (the model's revert does the work).
 * Names from data go into the map as text nodes, never as HTML.
 */
import { uncertaintyCircle } from "./map-basemap.js";
import { createMap } from "./map-view.js";
import { text } from "./map-text.js";
import { colour } from "./palette.js";

const RTL = document.documentElement.dir === "rtl";

function placeName(place) {
  return RTL && place.name_ar ? place.name_ar : (place.name_en || place.name_ar || "");
}

function drawIncident(data) {
  const map = createMap({ lat: data.lat, lon: data.lon, zoom: data.geo_precision === 1 ? 11 : 9 });
  const bounds = [[data.lat, data.lon]];
  data.places.forEach(function (place, i) {
    if (i === 0) { return; }  // the first place is the incident's point, drawn below
    L.circleMarker([place.lat, place.lon], { radius: 5, color: "#374151", weight: 1, fillColor: "#9ca3af", fillOpacity: 0.9 })
      .bindTooltip(text("span", placeName(place), { dir: "auto" }), { direction: "top" })
      .addTo(map);
    bounds.push([place.lat, place.lon]);
  });
  if (data.geo_precision > 1) { uncertaintyCircle([data.lat, data.lon], data.geo_precision, data.radius_km).addTo(map); }
  L.circleMarker([data.lat, data.lon], {
    radius: 9, color: "#111827", weight: 1.5, fillColor: colour(data.event_type), fillOpacity: 0.95,
    className: "incident-marker"
  }).addTo(map);
  if (bounds.length > 1) { map.fitBounds(bounds, { maxZoom: 11, padding: [40, 40] }); }
  document.body.dataset.ready = "1";
}

function showError(box, words) {
  box.textContent = words;
  box.hidden = false;
}

/* The page's own words for a refusal, with what the API said for any other error. */
function message(box, response, body) {
  if (response.status === 409) { return box.dataset.conflict; }
  if (response.status === 401 || response.status === 403) { return box.dataset.refused; }
  const errors = body.errors ? Object.keys(body.errors).map(function (k) { return k + ": " + body.errors[k].join(" "); }) : [];
  return box.dataset.failed + " " + (errors.join("; ") || body.error || body.detail || ("HTTP " + response.status));
}

/* Post {version, history_id} as JSON with the form's CSRF token; reload to show the new history row. */
function revert(form, box) {
  const button = form.querySelector("button");
  button.disabled = true;
  fetch(form.action, {
    method: "POST",
    credentials: "same-origin",
    headers: {
      "Content-Type": "application/json",
      "Accept": "application/json",
      "X-CSRFToken": form.elements.csrfmiddlewaretoken.value
    },
    body: JSON.stringify({ version: Number(form.elements.version.value), history_id: Number(form.elements.history_id.value) })
  }).then(function (response) {
    if (response.ok) { window.location.reload(); return null; }
    return response.json().catch(function () { return {}; }).then(function (body) {
      showError(box, message(box, response, body));
      button.disabled = false;
    });
  }).catch(function (err) {
    showError(box, box.dataset.failed + " " + err.message);
    button.disabled = false;
  });
}

const statusBox = document.getElementById("revert-status");
document.querySelectorAll("form.revert-form").forEach(function (form) {
  form.addEventListener("submit", function (event) { event.preventDefault(); revert(form, statusBox); });
});
const dataEl = document.getElementById("incident-data");
if (dataEl && window.L) { drawIncident(JSON.parse(dataEl.textContent)); }
