/* Gazetteer maps: search results and place detail on an offline basemap of our own admin outlines.
 *
 * Every name shown on the map comes from data, so it is written with textContent, never as HTML.
 * The page hands its data over in <script type="application/json"> blocks (Django's json_script).
 */
(function () {
  "use strict";

  var SYRIA = [[32.3, 35.6], [37.35, 42.4]];
  // Admin levels drawn from our own polygons, and the zoom from which each appears.
  var LEVELS = [
    {level: 1, minZoom: 0, style: {color: "#6b7280", weight: 1.4, fillColor: "#fbfaf6", fillOpacity: 1}},
    {level: 2, minZoom: 8, style: {color: "#9ca3af", weight: 1, dashArray: "4 3", fill: false}},
    {level: 3, minZoom: 10, style: {color: "#c4c8cf", weight: 0.8, dashArray: "2 3", fill: false}}
  ];
  var RTL = document.documentElement.dir === "rtl";

  function readJSON(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function el(tag, className, text, attrs) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    return node;
  }

  function localName(props) {
    return RTL && props.name_ar ? props.name_ar : props.name_en;
  }

  /* Popup body: English and Arabic names, a detail line, a link. */
  function popupContent(item, linkLabel) {
    var box = el("div", "popup");
    box.appendChild(el("span", "popup__en", item.name_en, {lang: "en", dir: "ltr"}));
    if (item.name_ar) box.appendChild(el("span", "popup__ar", item.name_ar, {lang: "ar", dir: "rtl"}));
    var meta = [item.kind, item.chain].filter(Boolean).join(" · ");
    if (meta) box.appendChild(el("span", "popup__meta", meta, {dir: "auto"}));
    if (item.url) box.appendChild(el("a", "popup__link", linkLabel, {href: item.url}));
    return box;
  }

  function addBoundaryLevel(map, baseUrl, spec) {
    var url = baseUrl.replace(/level=\d/, "level=" + spec.level);
    var layer = null;
    var loading = false;

    function sync() {
      var wanted = map.getZoom() >= spec.minZoom;
      if (wanted && !layer && !loading) {
        loading = true;
        fetch(url, {headers: {Accept: "application/geo+json"}})
          .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
          .then(function (data) {
            layer = L.geoJSON(data, {pane: "basemap", interactive: false, style: spec.style});
            layer.eachLayer(function (f) {
              f.bindTooltip(el("span", null, localName(f.feature.properties)), {
                permanent: true, direction: "center", pane: "basemapLabels",
                className: "unit-label unit-label--" + spec.level
              });
            });
            if (map.getZoom() >= spec.minZoom) layer.addTo(map);
          })
          .catch(function (err) { console.warn("basemap level " + spec.level + " unavailable:", err.message); })
          .finally(function () { loading = false; });
      } else if (layer) {
        if (wanted && !map.hasLayer(layer)) layer.addTo(map);
        if (!wanted && map.hasLayer(layer)) map.removeLayer(layer);
      }
    }
    map.on("zoomend", sync);
    sync();
  }

  /* Label only the finest level on show, so nested units of one name do not stack up. */
  function syncLabelLevel(map, container) {
    var zoom = map.getZoom();
    var finest = 1;
    LEVELS.forEach(function (spec) { if (zoom >= spec.minZoom) finest = spec.level; });
    container.dataset.labelLevel = String(finest);
  }

  function createMap(container) {
    var map = L.map(container, {zoomSnap: 0.5, minZoom: 5, maxZoom: 17, worldCopyJump: false});
    map.createPane("basemap").style.zIndex = 250;
    map.createPane("basemapLabels").style.zIndex = 260;
    map.getPane("basemapLabels").style.pointerEvents = "none";
    var tiles = container.dataset.tileUrl;
    if (tiles) {
      L.tileLayer(tiles, {attribution: container.dataset.tileAttribution || "", maxZoom: 19}).addTo(map);
      container.classList.add("map--tiles");
    }
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Admin boundaries: OCHA");
    map.fitBounds(SYRIA);
    LEVELS.forEach(function (spec) { addBoundaryLevel(map, container.dataset.boundaries, spec); });
    map.on("zoomend", function () { syncLabelLevel(map, container); });
    syncLabelLevel(map, container);
    return map;
  }

  function resultIcon(number) {
    return L.divIcon({
      className: "result-pin",
      html: "<span>" + String(Number(number)) + "</span>",
      iconSize: [26, 26],
      iconAnchor: [13, 13],
      popupAnchor: [0, -12]
    });
  }

  function initSearch(container) {
    var map = createMap(container);
    var markers = readJSON("gazetteer-markers") || [];
    var label = container.dataset.labelsDetail;
    var group = L.featureGroup().addTo(map);
    var byId = {};
    markers.forEach(function (m, i) {
      // Better-ranked pins sit on top where pins crowd together.
      var marker = L.marker([m.lat, m.lon], {
        icon: resultIcon(i + 1), title: m.name_en, riseOnHover: true, zIndexOffset: (markers.length - i) * 10
      });
      marker.bindPopup(popupContent(m, label));
      marker.addTo(group);
      byId[m.id] = marker;
    });
    if (markers.length === 1) {
      map.setView([markers[0].lat, markers[0].lon], 11);
    } else if (markers.length > 1) {
      map.fitBounds(group.getBounds(), {padding: [32, 32], maxZoom: 12});
    }
    // Hovering a result lifts its pin; clicking the pin highlights the row.
    document.querySelectorAll(".result[data-place-id]").forEach(function (row) {
      var marker = byId[row.dataset.placeId];
      if (!marker) return;
      row.addEventListener("mouseenter", function () { marker.getElement().classList.add("is-active"); });
      row.addEventListener("mouseleave", function () { marker.getElement().classList.remove("is-active"); });
      marker.on("click", function () {
        document.querySelectorAll(".result.is-active").forEach(function (r) { r.classList.remove("is-active"); });
        row.classList.add("is-active");
        row.scrollIntoView({block: "nearest", behavior: "smooth"});
      });
    });
    container.dataset.ready = "true";
    container.dataset.markers = String(markers.length);
    return map;
  }

  function initPlace(container) {
    var map = createMap(container);
    var data = readJSON("gazetteer-place");
    var label = container.dataset.labelsDetail;
    if (!data) return map;
    var bounds = null;
    if (data.area) {
      var outline = L.geoJSON(data.area, {
        style: {color: "#b45309", weight: 2, fillColor: "#f59e0b", fillOpacity: 0.15}
      }).addTo(map);
      bounds = outline.getBounds();
    }
    (data.nearby || []).forEach(function (c) {
      L.circleMarker([c.lat, c.lon], {radius: 3.5, color: "#7b8794", weight: 1, fillColor: "#9aa5b1", fillOpacity: 0.7})
        .bindTooltip(el("span", null, localName(c)), {direction: "top", offset: [0, -4]})
        .bindPopup(popupContent(c, label))
        .addTo(map);
    });
    (data.children || []).forEach(function (c) {
      L.circleMarker([c.lat, c.lon], {radius: 4, color: "#1f4e79", weight: 1, fillOpacity: 0.6})
        .bindTooltip(el("span", null, localName(c)), {direction: "top", offset: [0, -4]})
        .bindPopup(popupContent(c, label))
        .addTo(map);
    });
    var point = L.marker(data.point, {title: data.name_en}).addTo(map);
    point.bindPopup(popupContent({name_en: data.name_en, name_ar: data.name_ar}, label));
    if (bounds && bounds.isValid()) {
      map.fitBounds(bounds, {padding: [20, 20]});
    } else {
      map.setView(data.point, data.zoom || 13);
    }
    container.dataset.ready = "true";
    return map;
  }

  function init() {
    var container = document.getElementById("map");
    if (!container || typeof L === "undefined") return;
    var map = document.getElementById("gazetteer-place") ? initPlace(container) : initSearch(container);
    window.gazetteerMap = map; // for tests and the console
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
