/* Layer builders that hold no map state: the offline basemap (Natural Earth neighbours and our own admin
 * outlines by zoom), the choropleth polygons and the uncertainty shapes.
 * Names from data go into tooltips as text nodes, never as HTML.
 */
import { getJSON } from "./map-api.js";
import { text } from "./map-text.js";

// Admin levels drawn from our own polygons, and the zoom from which each appears.
var LEVELS = [
  { level: 1, minZoom: 0, style: { color: "#6b7280", weight: 1.3, fillColor: "#fbfaf6", fillOpacity: 1 } },
  { level: 2, minZoom: 8, style: { color: "#9ca3af", weight: 1, dashArray: "4 3", fill: false } },
  { level: 3, minZoom: 10, style: { color: "#c4c8cf", weight: 0.8, dashArray: "2 3", fill: false } }
];
// Uncertainty radius drawn round a precision-2 or -3 incident when no outline is known (metres).
var RADIUS = { 2: 8000, 3: 35000 };

/* The panes the basemap draws in (neighbouring countries, our admin outlines, their labels), below the markers. */
export function basemapPanes(map) {
  [["countries", 200], ["admin", 210], ["basemapLabels", 395]].forEach(function (p) {
    map.createPane(p[0]).style.zIndex = p[1];
  });
  map.getPane("basemapLabels").style.pointerEvents = "none";
}

export function localName(props, rtl) {
  return rtl && props.name_ar ? props.name_ar : (props.name_en || props.name_ar || "");
}

/* Neighbouring countries (Natural Earth) under our admin polygons. */
export function addCountries(map, url, rtl) {
  return getJSON(url).then(function (fc) {
    L.geoJSON(fc, {
      pane: "countries", interactive: false,
      style: function (f) {
        return f.properties.syria
          ? { color: "#374151", weight: 1.6, fill: false }
          : { color: "#a8b3bf", weight: 1, fillColor: "#eceae4", fillOpacity: 1 };
      }
    }).addTo(map);
    fc.features.forEach(function (f) {
      if (f.properties.syria || !f.properties.label) { return; }
      L.tooltip({ permanent: true, direction: "center", className: "country-label", pane: "basemapLabels" })
        .setLatLng([f.properties.label[1], f.properties.label[0]])
        .setContent(text("span", localName(f.properties, rtl)))
        .addTo(map);
    });
  });
}

/* Governorates always, districts and sub-districts once zoomed in far enough to read them; none finer than
 * maxLevel (default 3: all). */
export function addAdminLevels(map, baseUrl, rtl, container, maxLevel) {
  const levels = LEVELS.filter(function (spec) { return spec.level <= (maxLevel || 3); });
  levels.forEach(function (spec) {
    var layer = null, loading = false;
    function sync() {
      var wanted = map.getZoom() >= spec.minZoom;
      if (wanted && !layer && !loading) {
        loading = true;
        getJSON(baseUrl + "?level=" + spec.level).then(function (fc) {
          layer = L.geoJSON(fc, { pane: "admin", interactive: false, style: spec.style });
          layer.eachLayer(function (f) {
            f.bindTooltip(text("span", localName(f.feature.properties, rtl)), {
              permanent: true, direction: "center", pane: "basemapLabels",
              className: "unit-label unit-label--" + spec.level
            });
          });
          if (map.getZoom() >= spec.minZoom) { layer.addTo(map); }
        }).catch(function (err) { console.warn("admin level " + spec.level + " unavailable: " + err.message); })
          .finally(function () { loading = false; });
      } else if (layer) {
        if (wanted && !map.hasLayer(layer)) { layer.addTo(map); }
        if (!wanted && map.hasLayer(layer)) { map.removeLayer(layer); }
      }
    }
    map.on("zoomend", sync);
    sync();
  });
  function labelLevel() {
    var finest = 1;
    levels.forEach(function (spec) { if (map.getZoom() >= spec.minZoom) { finest = spec.level; } });
    container.dataset.labelLevel = String(finest);
  }
  map.on("zoomend", labelLevel);
  labelLevel();
}

/* Class breaks for counts: 0 plus five classes on a square-root scale, rounded to whole numbers. */
function breaks(max) {
  if (max <= 0) { return []; }
  var out = [];
  for (var i = 1; i <= 5; i++) {
    var b = Math.ceil(Math.pow(i / 5, 2) * max);
    if (!out.length || b > out[out.length - 1]) { out.push(b); }
  }
  return out;
}
var RAMP = ["#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"];

function colourFor(count, classes) {
  if (!count) { return null; }
  for (var i = 0; i < classes.length; i++) { if (count <= classes[i]) { return RAMP[Math.min(i + RAMP.length - classes.length, RAMP.length - 1)]; } }
  return RAMP[RAMP.length - 1];
}

/* Counts per admin unit as filled polygons; returns the Leaflet layer and the class breaks for a legend. */
export function choropleth(areas, data, rtl, countLabel) {
  var classes = breaks(data.max || 0);
  var layer = L.geoJSON(areas, {
    pane: "choropleth",
    style: function (f) {
      var fill = colourFor(data.counts[f.properties.pcode] || 0, classes);
      return { color: "#7f1d1d", weight: 0.7, fillColor: fill || "#ffffff", fillOpacity: fill ? 0.75 : 0.05 };
    },
    onEachFeature: function (f, l) {
      var box = document.createElement("div");
      box.appendChild(text("strong", localName(f.properties, rtl), { dir: "auto" }));
      box.appendChild(document.createTextNode(" · " + (data.counts[f.properties.pcode] || 0) + " " + countLabel));
      l.bindTooltip(box, { sticky: true });
    }
  });
  return { layer: layer, classes: classes, ramp: RAMP.slice(RAMP.length - classes.length) };
}

/* The dashed circle of a precision-2/3 point: the stated radius ("10 km west of X") when known, else the precision's. */
export function uncertaintyCircle(latlng, precision, radiusKm) {
  return L.circle(latlng, {
    radius: radiusKm > 0 ? radiusKm * 1000 : RADIUS[precision] || RADIUS[2], color: "#b45309", weight: 1.5, dashArray: "5 4",
    fillColor: "#f59e0b", fillOpacity: 0.12, interactive: false, className: "uncertainty uncertainty--" + precision
  });
}

export function regionOutline(feature) {
  return L.geoJSON(feature, {
    interactive: false,
    style: { color: "#b45309", weight: 2, dashArray: "6 4", fillColor: "#f59e0b", fillOpacity: 0.1 },
    className: "uncertainty uncertainty--region"
  });
}
