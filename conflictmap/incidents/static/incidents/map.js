/* The analyst's map: filters in the URL, clustered incidents by event type, heat and choropleth layers,
 * a timeline histogram with a brush, a time slider, a list of the incidents in view and a detail panel.
 *
 * Data from the server is only ever written with textContent (or as Leaflet text tooltips built from DOM
 * nodes); the only innerHTML is the constant SVG glyph markup from palette.js.
 * `document.body.dataset.ready` is "0" while data loads and "1" once the map shows it (tests and the
 * benchmark wait on it): the markers or grid bubbles of the view are drawn and #incident-count, the number
 * of incidents shown, is final. The list beside the map, the pickers' values and the region tree follow.
 * Large sets (> POINTS_MAX) come as server-side grid cells at country zooms; see loadMarkers().
 */
(function () {
  "use strict";
  var el = document.getElementById("incident-map");
  if (!el || !window.L) { return; }
  var P = window.conflictmapPalette, S = window.conflictmapState, T = window.conflictmapTimeline;
  var Y = window.conflictmapLayers;
  var I18N = JSON.parse(document.getElementById("map-i18n").textContent);
  var URLS = el.dataset;
  var RTL = document.documentElement.dir === "rtl";
  var LANG = document.documentElement.lang === "ar" ? "ar" : "en";
  var SYRIA = [[32.3, 35.6], [37.35, 42.4]];
  var MONTHS = {
    en: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    // Levantine (Syriac) month names, as Syrian analysts say them, with the Egyptian/Gulf name after.
    ar: ["كانون الثاني/يناير", "شباط/فبراير", "آذار/مارس", "نيسان/أبريل", "أيار/مايو", "حزيران/يونيو",
      "تموز/يوليو", "آب/أغسطس", "أيلول/سبتمبر", "تشرين الأول/أكتوبر", "تشرين الثاني/نوفمبر", "كانون الأول/ديسمبر"]
  };
  var $ = function (id) { return document.getElementById(id); };
  var selects = [$("f-gov"), $("f-dist"), $("f-sub")];

  var parsed = S.parse(location.search);
  var state = parsed.state;
  var regions = {};       // pcode -> node of /api/regions
  var regionsReady = null;
  var types = [];         // event type names, indexed by the points rows
  var rows = [];          // [id, lat, lon, type_index, date, precision]
  var markers = [];       // parallel to rows
  var markerById = {};
  var shown = [];         // rows after the time slider
  var loadToken = 0;
  var markerSeq = 0;      // the latest loadMarkers: a pan's reload must not draw over a newer one
  var truncated = false;
  /* With many incidents the server snaps them to a grid (/api/incidents/clusters) and the map draws those cells
   * as bubbles; real markers only when the filtered set is small or the map is zoomed in to a district.
   * Thresholds measured with bench/bench_map_50k.py: 5,000 markers build in ~60 ms, 50,000 in ~450 ms. */
  var CELL_ZOOM = 9;                                   // one grid for every overview zoom: ~1,100 cells for 50k
  var DETAIL_ZOOM = 10;                                // from here, real markers of the incidents around the view
  var POINTS_MAX = window.conflictmapPointsMax || 5000;
  var mode = "points";    // "points": every filtered incident; "cells": grid bubbles; "detail": points near the view
  var cellsData = null;   // the last /api/incidents/clusters answer for state.filters
  var filterTotal = 0;    // incidents passing the filters (before the time slider)
  var pointsBox = null;   // in "detail" mode, the area whose points are loaded

  /* ---------- formatting ---------- */

  function fmtNumber(n) { return Number(n).toLocaleString("en-US"); }

  function fmtDate(iso) {
    if (!iso) { return I18N.unknown; }
    var p = iso.split("-");
    return String(+p[2]) + " " + MONTHS[LANG][+p[1] - 1] + " " + p[0];
  }

  function fmtMonth(iso) { var p = iso.split("-"); return MONTHS[LANG][+p[1] - 1] + " " + p[0]; }

  function fmtBin(iso, step) {
    if (step === "month") { return fmtMonth(iso); }
    if (step === "week") { return I18N.week_of + " " + fmtDate(iso); }
    return fmtDate(iso);
  }

  function typeLabel(type) { return (I18N.types[type || ""] || (type || "").replace(/_/g, " ")) || I18N.types[""]; }

  function plural(n, one, many) { return fmtNumber(n) + " " + (n === 1 ? one : many); }

  /* ---------- notices ---------- */

  function notice(message) {
    var box = $("map-notices");
    var p = document.createElement("p");
    p.className = "notice notice--error map-notice";
    p.setAttribute("role", "alert");
    p.textContent = message;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "map-notice__close";
    close.textContent = "×";
    close.setAttribute("aria-label", I18N.dismiss);
    close.addEventListener("click", function () { p.remove(); });
    p.appendChild(close);
    box.appendChild(p);
  }

  function reportProblems(problems) {
    problems.forEach(function (pr) { notice(I18N.ignored.replace("%(param)s", pr[0]).replace("%(value)s", pr[1])); });
  }

  /* ---------- the map ---------- */

  var map = L.map(el, { zoomSnap: 0.5, minZoom: 6, maxZoom: 16, preferCanvas: false, worldCopyJump: false });
  [["countries", 200], ["admin", 210], ["choropleth", 390], ["basemapLabels", 395]].forEach(function (p) {
    map.createPane(p[0]).style.zIndex = p[1];
  });
  map.getPane("basemapLabels").style.pointerEvents = "none";
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution(I18N.attribution);
  if (URLS.tileUrl) {
    L.tileLayer(URLS.tileUrl, { attribution: URLS.tileAttribution || "", maxZoom: 19 }).addTo(map);
    el.classList.add("map--tiles");
  }
  if (state.view) { map.setView([state.view.lat, state.view.lon], state.view.zoom); } else { map.fitBounds(SYRIA); }
  L.control.scale({ imperial: false, position: RTL ? "bottomright" : "bottomleft" }).addTo(map);
  Y.addCountries(map, URLS.countriesUrl, RTL).catch(function (err) { console.warn("countries: " + err.message); });
  Y.addAdminLevels(map, URLS.boundariesUrl, RTL, el);

  var outline = L.featureGroup().addTo(map);        // the chosen region
  var drawn = L.featureGroup().addTo(map);          // the drawn area filter
  var uncertainty = L.featureGroup().addTo(map);    // circle or outline of the hovered/selected incident
  var clusters = L.markerClusterGroup({
    chunkedLoading: true, chunkInterval: 120, chunkDelay: 10, showCoverageOnHover: false,
    maxClusterRadius: 45, spiderfyDistanceMultiplier: 1.4, disableClusteringAtZoom: 14,
    iconCreateFunction: clusterIcon,
    chunkProgress: function (done, total) { if (done >= total && chunksDone) { var f = chunksDone; chunksDone = null; f(); } }
  });
  var chunksDone = null;  // resolves the promise of the running addLayers once its last chunk is in
  var heat = L.heatLayer([], { radius: 16, blur: 18, maxZoom: 11, minOpacity: 0.35 });
  var heatPoints = [];    // [lat, lon, weight] of what the map shows
  var heatTotal = 0;
  // Grid cells carry their count as `weight`; merged cells show the sum.
  var cellGroup = L.markerClusterGroup({
    showCoverageOnHover: false, maxClusterRadius: 45, spiderfyOnMaxZoom: false,
    iconCreateFunction: function (cluster) {
      return bubbleIcon(cluster.getAllChildMarkers().reduce(function (sum, m) { return sum + m.weight; }, 0));
    }
  });
  cellGroup.on("click", function (ev) {
    map.setView(ev.layer.getLatLng(), Math.max(DETAIL_ZOOM, Math.floor(map.getZoom()) + 2));
  });
  var choro = null;
  var areasCache = {};

  function clusterIcon(cluster) { return bubbleIcon(cluster.getChildCount()); }

  function bubbleIcon(n) {
    var size = n < 10 ? 30 : n < 100 ? 36 : n < 1000 ? 42 : 50;
    var span = document.createElement("span");
    span.textContent = n < 10000 ? String(n) : Math.round(n / 1000) + "k";
    var div = document.createElement("div");
    div.appendChild(span);
    return L.divIcon({
      html: div.innerHTML, className: "incident-cluster incident-cluster--" + (n < 10 ? "s" : n < 100 ? "m" : n < 1000 ? "l" : "xl"),
      iconSize: [size, size]
    });
  }

  var iconCache = {};
  function iconFor(typeIndex, precision) {
    var key = typeIndex + ":" + precision;
    if (!iconCache[key]) {
      iconCache[key] = L.divIcon({
        html: P.glyph(types[typeIndex], 16), className: "incident-marker incident-marker--p" + precision,
        iconSize: [precision === 1 ? 18 : 26, precision === 1 ? 18 : 26]
      });
    }
    return iconCache[key];
  }

  function makeMarker(row) {
    var m = L.marker([row[1], row[2]], { icon: iconFor(row[3], row[5]), keyboard: false });
    m.row = row;
    return m;
  }

  // One set of listeners on the cluster group, not three closures on each of 50,000 markers.
  clusters.on("click", function (ev) { select(ev.layer.row[0], { popup: true }); });
  clusters.on("mouseover", function (ev) {
    var row = ev.layer.row;
    if (row[5] > 1 && state.selected !== row[0]) { showUncertainty(row, null); }
  });
  clusters.on("mouseout", function (ev) {
    if (ev.layer.row[5] > 1 && state.selected !== ev.layer.row[0]) { uncertainty.clearLayers(); }
  });

  /* ---------- URL state ---------- */

  function captureView() {
    var c = map.getCenter();
    state.view = { zoom: map.getZoom(), lat: c.lat, lon: c.lng };
  }

  function writeUrl(push) {
    captureView();
    var qs = S.serialize(state);
    var url = location.pathname + (qs ? "?" + qs : "");
    if (url === location.pathname + location.search) { return; }
    if (push) { history.pushState(null, "", url); } else { history.replaceState(null, "", url); }
  }

  var moveTimer = null;
  map.on("moveend", function () {
    clearTimeout(moveTimer);
    moveTimer = setTimeout(function () {
      writeUrl(false);
      if (needsReload()) { track(loadMarkers(loadToken, true)); } else { refreshList(); }
    }, 200);
  });

  window.addEventListener("popstate", function () {
    var next = S.parse(location.search);
    reportProblems(next.problems);
    state = next.state;
    stopPlay();
    if (state.view) { map.setView([state.view.lat, state.view.lon], state.view.zoom, { animate: false }); }
    applyControls();
    loadRegions().then(function () { syncRegionSelects(); drawRegion(false); });
    drawArea();
    load();
    if (state.selected) { select(state.selected, { history: false }); } else { closeDetail(false); }
  });

  /* ---------- filters and controls ---------- */

  function fillSelect(select, items, keep) {
    var current = keep !== undefined ? keep : select.value;
    while (select.options.length > 1) { select.remove(1); }
    items.forEach(function (item) {
      var opt = document.createElement("option");
      opt.value = item[0];
      opt.textContent = item[1];
      select.appendChild(opt);
    });
    // A value from the URL that the facets do not list still filters: keep it as an option.
    if (current && !items.some(function (i) { return i[0] === current; })) {
      var extra = document.createElement("option");
      extra.value = current;
      extra.textContent = current;
      select.appendChild(extra);
    }
    select.value = current || "";
  }

  function regionLabel(node) {
    var first = LANG === "ar" ? node.name_ar : node.name_en;
    var second = LANG === "ar" ? node.name_en : node.name_ar;
    return first && second && first !== second ? first + " — " + second : (first || second || node.pcode);
  }

  function regionItems(nodes) {
    return (nodes || []).slice().sort(function (a, b) {
      return regionLabel(a).localeCompare(regionLabel(b), LANG);
    }).map(function (n) { return [n.pcode, regionLabel(n)]; });
  }

  function syncRegionSelects() {
    var code = state.filters.region || "";
    var chain = [code.slice(0, 4), code.length >= 6 ? code.slice(0, 6) : "", code.length >= 8 ? code : ""];
    fillSelect(selects[0], regionItems(rootRegions), chain[0]);
    for (var i = 1; i < 3; i++) {
      var parent = regions[chain[i - 1]];
      fillSelect(selects[i], regionItems(parent ? parent.children : []), chain[i]);
      selects[i].disabled = !parent || !parent.children || !parent.children.length;
    }
  }

  var rootRegions = [];
  /* The region tree (~100 kB) waits for the first markers unless the link names a region. */
  function loadRegions() {
    if (!regionsReady) { regionsReady = fetchRegions(); }
    return regionsReady;
  }
  function fetchRegions() { return Y.getJSON(URLS.regionsUrl).then(function (tree) {
    rootRegions = tree.regions || [];
    (function index(nodes) { nodes.forEach(function (n) { regions[n.pcode] = n; index(n.children || []); }); })(rootRegions);
    if (state.filters.region && !regions[state.filters.region]) {
      notice(I18N.unknown_region.replace("%(code)s", state.filters.region));
      delete state.filters.region;
      writeUrl(false);
    }
    syncRegionSelects();
    drawRegion(false);
  }).catch(function (err) { notice(I18N.load_failed + " " + err.message); }); }

  function drawRegion(zoom) {
    outline.clearLayers();
    var code = state.filters.region;
    if (!code || !regions[code]) { return; }
    var b = regions[code].bbox;
    if (zoom) { map.fitBounds([[b[1], b[0]], [b[3], b[2]]], { padding: [20, 20] }); }
    Y.getJSON(URLS.regionUrl + encodeURIComponent(code)).then(function (feature) {
      if (state.filters.region !== code) { return; }
      L.geoJSON(feature, {
        interactive: false, style: { color: "#1f4e79", weight: 3, fill: false, className: "region-outline" }
      }).addTo(outline);
    }).catch(function () {});
  }

  function onRegionChange(level) {
    var code = selects[level].value || (level > 0 ? selects[level - 1].value : "");
    if (code) { state.filters.region = code; } else { delete state.filters.region; }
    syncRegionSelects();
    if (code) { drawRegion(true); } else { outline.clearLayers(); map.fitBounds(SYRIA); }
    changed();
  }
  selects.forEach(function (s, i) { s.addEventListener("change", function () { onRegionChange(i); }); });

  function setFilter(key, value) {
    if (value) { state.filters[key] = value; } else { delete state.filters[key]; }
  }

  function readControls() {
    setFilter("start", $("f-start").value);
    setFilter("end", $("f-end").value);
    setFilter("event_type", $("f-type").value);
    setFilter("actor", $("f-actor").value);
    setFilter("source", $("f-source").value);
    setFilter("q", $("f-q").value.trim());
    var prec = Array.prototype.filter.call(document.querySelectorAll("input[name=precision]"), function (c) {
      return c.checked;
    }).map(function (c) { return c.value; });
    setFilter("precision", prec.length === 3 || prec.length === 0 ? "" : prec.join(","));
  }

  function applyControls() {
    var f = state.filters;
    $("f-start").value = f.start || "";
    $("f-end").value = f.end || "";
    ["type", "actor", "source"].forEach(function (k) {
      var key = k === "type" ? "event_type" : k;
      var sel = $("f-" + k);
      fillSelect(sel, Array.prototype.slice.call(sel.options, 1).map(function (o) { return [o.value, o.textContent]; }),
        f[key] || "");
    });
    $("f-q").value = f.q || "";
    var prec = (f.precision || "1,2,3").split(",");
    document.querySelectorAll("input[name=precision]").forEach(function (c) { c.checked = prec.indexOf(c.value) >= 0; });
    $("l-clusters").checked = state.layers.clusters;
    $("l-heat").checked = state.layers.heat;
    $("l-choropleth").checked = state.layers.choropleth;
    $("l-level").value = String(state.level);
    $("t-step").value = state.step || "";
    $("t-mode").value = state.mode;
    $("list-sort").value = state.sort;
    $("f-area-clear").hidden = !(f.bbox || f.polygon);
  }

  /* A filter changed: record it in history and reload the data. */
  function changed() {
    stopPlay();
    state.cursor = "";
    writeUrl(true);
    $("f-area-clear").hidden = !(state.filters.bbox || state.filters.polygon);
    load();
  }

  ["f-start", "f-end", "f-type", "f-actor", "f-source"].forEach(function (id) {
    $(id).addEventListener("change", function () {
      readControls();
      if (state.filters.start && state.filters.end && state.filters.start > state.filters.end) {
        notice(I18N.bad_range);
        delete state.filters.end;
        $("f-end").value = "";
      }
      changed();
    });
  });
  document.querySelectorAll("input[name=precision]").forEach(function (c) {
    c.addEventListener("change", function () { readControls(); changed(); });
  });
  var typing = null;
  $("f-q").addEventListener("input", function () {
    clearTimeout(typing);
    typing = setTimeout(function () { readControls(); changed(); }, 350);
  });
  $("f-reset").addEventListener("click", function () {
    state.filters = {};
    state.selected = null;
    applyControls();
    syncRegionSelects();
    outline.clearLayers();
    drawn.clearLayers();
    closeDetail(false);
    map.fitBounds(SYRIA);
    changed();
  });

  /* The pickers' values are not needed for the first paint: asked for once the markers are drawn. */
  function loadFacets() { Y.getJSON(URLS.facetsUrl).then(function (facets) {
    fillSelect($("f-type"), (facets.event_types || []).map(function (t) { return [t, typeLabel(t)]; }), state.filters.event_type || "");
    fillSelect($("f-actor"), (facets.actors || []).map(function (a) { return [a, a]; }), state.filters.actor || "");
    fillSelect($("f-source"), (facets.sources || []).map(function (s) { return [s, s]; }), state.filters.source || "");
    $("f-start").min = $("f-end").min = facets.date_min || "";
    $("f-start").max = $("f-end").max = facets.date_max || "";
  }).catch(function (err) { console.warn("facets: " + err.message); }); }

  /* ---------- drawn area ---------- */

  var drawControl = new L.Control.Draw({
    position: RTL ? "topright" : "topleft",
    draw: {
      polyline: false, circle: false, marker: false, circlemarker: false,
      rectangle: { shapeOptions: { color: "#7c3aed", weight: 2, fillOpacity: 0.06 } },
      polygon: { allowIntersection: false, showArea: false, shapeOptions: { color: "#7c3aed", weight: 2, fillOpacity: 0.06 } }
    },
    edit: false
  });
  map.addControl(drawControl);

  function round(v) { return Math.round(v * 10000) / 10000; }

  map.on(L.Draw.Event.CREATED, function (ev) {
    delete state.filters.bbox;
    delete state.filters.polygon;
    if (ev.layerType === "rectangle") {
      var b = ev.layer.getBounds();
      state.filters.bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(round).join(",");
    } else {
      var ring = ev.layer.getLatLngs()[0].map(function (ll) { return [round(ll.lng), round(ll.lat)]; });
      ring.push(ring[0]);
      state.filters.polygon = JSON.stringify({ type: "Polygon", coordinates: [ring] });
    }
    drawArea();
    changed();
  });

  function drawArea() {
    drawn.clearLayers();
    var style = { color: "#7c3aed", weight: 2, fillOpacity: 0.06, interactive: false, className: "drawn-area" };
    if (state.filters.bbox) {
      var b = S.parseBbox(state.filters.bbox);
      L.rectangle([[b[1], b[0]], [b[3], b[2]]], style).addTo(drawn);
    } else if (state.filters.polygon) {
      L.geoJSON(S.parsePolygon(state.filters.polygon), { style: style, interactive: false }).addTo(drawn);
    }
    $("f-area-clear").hidden = !(state.filters.bbox || state.filters.polygon);
  }

  $("f-area-clear").addEventListener("click", function () {
    delete state.filters.bbox;
    delete state.filters.polygon;
    drawArea();
    changed();
  });

  /* ---------- layers ---------- */

  /* leaflet.heat redraws on setLatLngs and fails once removed from the map: only redraw while it is on. */
  function setHeat() {
    heat._latlngs = state.layers.heat ? heatPoints : [];
    // Scale the saturation point with the number of incidents, or 50,000 of them paint the country red.
    heat.options.max = Math.max(1, heatTotal / 2500);
    if (map.hasLayer(heat)) { heat.redraw(); }
  }

  function syncLayers() {
    [clusters, cellGroup].forEach(function (group) {
      var wanted = state.layers.clusters && (group === cellGroup) === (mode === "cells");
      if (wanted && !map.hasLayer(group)) { group.addTo(map); }
      if (!wanted && map.hasLayer(group)) { map.removeLayer(group); }
    });
    if (state.layers.heat && !map.hasLayer(heat)) { heat.addTo(map); }
    if (!state.layers.heat && map.hasLayer(heat)) { map.removeLayer(heat); }
    if (!state.layers.choropleth && choro) { map.removeLayer(choro.layer); choro = null; }
    $("choropleth-legend").hidden = !state.layers.choropleth;
    $("l-level").disabled = !state.layers.choropleth;
    el.dataset.layers = ["clusters", "heat", "choropleth"].filter(function (n) { return state.layers[n]; }).join(",");
  }

  ["clusters", "heat", "choropleth"].forEach(function (name) {
    $("l-" + name).addEventListener("change", function () {
      state.layers[name] = $("l-" + name).checked;
      syncLayers();
      writeUrl(true);
      if (name === "choropleth" && state.layers.choropleth) { track(loadChoropleth(loadToken)); }
      if (name === "heat") { setHeat(); }
    });
  });
  $("l-level").addEventListener("change", function () {
    state.level = +$("l-level").value;
    writeUrl(true);
    track(loadChoropleth(loadToken));
  });

  function areas(level) {
    if (!areasCache[level]) { areasCache[level] = Y.getJSON(URLS.areasUrl + "?level=" + level); }
    return areasCache[level];
  }

  function loadChoropleth(token) {
    if (!state.layers.choropleth) { return Promise.resolve(); }
    var q = S.apiQuery(effectiveFilters());
    q.set("level", String(state.level));
    return Promise.all([Y.getJSON(URLS.choroplethUrl + "?" + q.toString()), areas(state.level)]).then(function (res) {
      if (token !== loadToken || !state.layers.choropleth) { return; }
      if (choro) { map.removeLayer(choro.layer); }
      choro = Y.choropleth(res[1], res[0], RTL, I18N.incidents);
      choro.layer.addTo(map);
      el.dataset.choropleth = String(Object.keys(res[0].counts || {}).length);
      choroplethLegend(choro, res[0]);
    });
  }

  function choroplethLegend(ch, data) {
    var box = $("choropleth-legend");
    box.textContent = "";
    box.appendChild(Y.text("strong", I18N.levels[state.level] + " · " + I18N.incidents_per_unit));
    var lo = 1;
    ch.classes.forEach(function (hi, i) {
      var row = document.createElement("div");
      var sw = document.createElement("span");
      sw.className = "swatch";
      sw.style.background = ch.ramp[i];
      row.appendChild(sw);
      row.appendChild(document.createTextNode(lo === hi ? fmtNumber(hi) : fmtNumber(lo) + "–" + fmtNumber(hi)));
      box.appendChild(row);
      lo = hi + 1;
    });
    if (!ch.classes.length) { box.appendChild(Y.text("div", I18N.none)); }
    box.hidden = false;
    box.dataset.max = String(data.max || 0);
  }

  /* ---------- uncertainty ---------- */

  function showUncertainty(row, detail) {
    uncertainty.clearLayers();
    var precision = row ? row[5] : detail.geo_precision;
    if (precision < 2) { return; }
    var latlng = row ? [row[1], row[2]] : [detail.lat, detail.lon];
    Y.uncertaintyCircle(latlng, precision).addTo(uncertainty);
    // A selected precision-3 incident stands for its governorate: draw that outline too.
    var code = detail && precision === 3 ? detail.admin1_pcode : detail && precision === 2 ? detail.admin3_pcode : "";
    if (code) {
      Y.getJSON(URLS.regionUrl + encodeURIComponent(code)).then(function (feature) {
        if (state.selected === detail.id) { Y.regionOutline(feature).addTo(uncertainty); }
      }).catch(function () {});
    }
  }

  /* ---------- loading ---------- */

  var pending = 0;
  var painted = false;
  function track(promise) {
    pending += 1;
    document.body.dataset.ready = "0";
    return promise.catch(handleError).finally(function () {
      pending -= 1;
      if (pending === 0) {
        document.body.dataset.ready = "1";
        if (!painted) { painted = true; setTimeout(afterFirstPaint, 0); }
      }
    });
  }

  function handleError(err) {
    if (err && err.parameter && S.FILTERS.indexOf(err.parameter) >= 0 && state.filters[err.parameter] === undefined) {
      return;  // a parallel request already dropped this parameter and reloaded
    }
    if (err && err.parameter && state.filters[err.parameter] !== undefined) {
      // The server refused one filter: drop it, say so, and show the rest rather than nothing.
      notice(I18N.ignored.replace("%(param)s", err.parameter).replace("%(value)s", state.filters[err.parameter]) +
        " (" + err.message + ")");
      delete state.filters[err.parameter];
      if (err.parameter === "region") { syncRegionSelects(); outline.clearLayers(); }
      if (err.parameter === "bbox" || err.parameter === "polygon") { drawArea(); }
      applyControls();
      writeUrl(false);
      setTimeout(load, 0);
      return;
    }
    notice(I18N.load_failed + " " + (err && err.message ? err.message : ""));
  }

  /* The dates the slider cursor shows, narrowing the filter's range. */
  function cursorWindow() {
    if (!state.cursor) { return null; }
    var step = timeline.step();
    var end = T.binEnd(state.cursor, step);
    return { start: state.mode === "win" ? state.cursor : (state.filters.start || ""), end: end };
  }

  function effectiveFilters() {
    var f = Object.assign({}, state.filters);
    var w = cursorWindow();
    if (w) {
      if (w.start) { f.start = w.start; }
      f.end = w.end;
    }
    return f;
  }

  function load() {
    var token = ++loadToken;
    $("map-status").textContent = I18N.loading;
    syncLayers();
    track(loadMarkers(token, false));
    track(loadHistogram(token));
    track(loadChoropleth(token));
  }

  /* Requests the first paint does not need (pickers' values, region tree) go out once the page is ready:
   * sent earlier they hold up the histogram and list on the 2-core server (measured: ~100 ms). */
  function afterFirstPaint() {
    loadFacets();
    loadRegions();
  }

  /* Whether the view moved out of what the loaded markers cover (zoom across DETAIL_ZOOM, pan off the box). */
  function needsReload() {
    if (mode === "cells") { return map.getZoom() >= DETAIL_ZOOM; }
    if (mode === "detail") { return map.getZoom() < DETAIL_ZOOM || !pointsBox.contains(map.getBounds()); }
    return false;
  }

  function clustersQuery(filters) {
    var q = S.apiQuery(filters);
    q.set("zoom", String(CELL_ZOOM));  // must match the prefetch in map.html
    return URLS.clustersUrl + "?" + q.toString();
  }

  /* Fetch the grid for the filters (or reuse it on a zoom or pan), then draw cells or fetch the points. */
  function loadMarkers(token, reuse) {
    var seq = ++markerSeq;
    var cells = reuse && cellsData ? Promise.resolve(cellsData) : Y.getJSON(clustersQuery(state.filters));
    return cells.then(function (data) {
      if (token !== loadToken || seq !== markerSeq) { return; }
      cellsData = data;
      filterTotal = data.count;
      types = data.types || [];
      if (data.count <= POINTS_MAX) { return loadPoints(token, seq, null); }
      if (map.getZoom() >= DETAIL_ZOOM) { return loadPoints(token, seq, map.getBounds().pad(0.5)); }
      mode = "cells";
      pointsBox = null;
      rows = markers = [];
      markerById = {};
      clusters.clearLayers();
      syncLayers();
      legend(data.type_counts);
      return applyTime(token);
    });
  }

  /* The view box clipped to the drawn-rectangle filter, as the API's bbox, or null when they do not meet. */
  function viewBbox(bounds, filters) {
    var view = [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()];
    if (filters.bbox) {
      var b = S.parseBbox(filters.bbox);
      view = [Math.max(b[0], view[0]), Math.max(b[1], view[1]), Math.min(b[2], view[2]), Math.min(b[3], view[3])];
    }
    view = [Math.max(-180, view[0]), Math.max(-90, view[1]), Math.min(180, view[2]), Math.min(90, view[3])];
    if (view[0] >= view[2] || view[1] >= view[3]) { return null; }
    return view.map(function (v) { return v.toFixed(5); }).join(",");
  }

  /* Markers for every filtered incident (box null) or for those in the box around the view ("detail"). */
  function loadPoints(token, seq, box) {
    var q = S.apiQuery(state.filters);
    var bbox = box ? viewBbox(box, state.filters) : "";
    if (bbox) { q.set("bbox", bbox); }
    var request = box && !bbox ? Promise.resolve({ types: types, rows: [], count: 0 }) : Y.getJSON(URLS.pointsUrl + "?" + q.toString());
    return request.then(function (data) {
      if (token !== loadToken || seq !== markerSeq) { return; }
      mode = box ? "detail" : "points";
      pointsBox = box;
      types = data.types || [];
      rows = data.rows || [];
      truncated = data.count > rows.length && !box;
      iconCache = {};
      markerById = {};
      cellGroup.clearLayers();
      syncLayers();
      var t0 = performance.now();
      markers = rows.map(function (r) { var m = makeMarker(r); markerById[r[0]] = m; return m; });
      el.dataset.timingMarkers = String(Math.round(performance.now() - t0));
      var n = {};
      if (box) { n = cellsData.type_counts; } else { rows.forEach(function (r) { n[r[3]] = (n[r[3]] || 0) + 1; }); }
      legend(n);
      return applyTime(token);
    });
  }

  /* Put what passes the time slider on the map (markers or cells, and heat); resolves when drawn. */
  function applyTime(token) {
    el.dataset.mode = mode;
    if (mode === "cells") { return applyTimeCells(token); }
    var w = cursorWindow();
    shown = [];
    var subset = [];
    rows.forEach(function (r, i) {
      if (w && (!r[4] || r[4] > w.end || (w.start && r[4] < w.start))) { return; }
      shown.push(r);
      subset.push(markers[i]);
    });
    heatPoints = shown.map(function (r) { return [r[1], r[2], 1]; });
    heatTotal = shown.length;
    setHeat();
    // Around the view only part of the incidents is loaded: the count comes from the grid of the whole set.
    var counted = mode === "detail" ? countFor(effectiveFilters()) : Promise.resolve(shown.length);
    return Promise.all([counted, drawMarkers(subset)]).then(function (res) {
      if (token !== loadToken && token !== undefined) { return; }
      el.dataset.markers = String(subset.length);
      counts(res[0], mode === "detail" ? filterTotal : rows.length);
      refreshList();
    });
  }

  function countFor(filters) {
    if (!cursorWindow()) { return Promise.resolve(filterTotal); }
    return Y.getJSON(clustersQuery(filters)).then(function (data) { return data.count; });
  }

  function drawMarkers(subset) {
    return new Promise(function (resolve) {
      if (chunksDone) { chunksDone(); chunksDone = null; }
      clusters.clearLayers();
      if (!subset.length) { resolve(); return; }
      // Off the map, markercluster adds synchronously and reports no progress.
      if (!map.hasLayer(clusters)) { clusters.addLayers(subset); resolve(); return; }
      var t0 = performance.now();
      chunksDone = function () { el.dataset.timingClusters = String(Math.round(performance.now() - t0)); resolve(); };
      clusters.addLayers(subset);
    });
  }

  /* Cells mode: the grid of the filters, or of the slider's dates when the cursor is set. */
  function applyTimeCells(token) {
    var seq = markerSeq;
    var data = cursorWindow() ? Y.getJSON(clustersQuery(effectiveFilters())) : Promise.resolve(cellsData);
    return data.then(function (d) {
      if ((token !== loadToken && token !== undefined) || seq !== markerSeq || mode !== "cells") { return; }
      var t0 = performance.now();
      cellGroup.clearLayers();
      cellGroup.addLayers(d.cells.map(function (c) {
        var m = L.marker([c[0], c[1]], { icon: bubbleIcon(c[2]), keyboard: false });
        m.weight = c[2];
        return m;
      }));
      el.dataset.timingClusters = String(Math.round(performance.now() - t0));
      el.dataset.markers = "0";
      el.dataset.cells = String(d.cells.length);
      shown = [];
      heatPoints = d.cells.map(function (c) { return [c[0], c[1], c[2]]; });
      heatTotal = d.count;
      setHeat();
      counts(d.count, filterTotal);
      refreshList();
    });
  }

  function counts(n, total) {
    $("incident-count").textContent = String(n);
    $("incident-count").dataset.count = String(n);
    var text = n === total
      ? plural(total, I18N.incident, I18N.incidents)
      : fmtNumber(n) + " " + I18N.of + " " + plural(total, I18N.incident, I18N.incidents);
    if (truncated) { text += " " + I18N.truncated; }
    $("map-status").textContent = text;
  }

  /* n: incidents per type index (an object or the clusters' type_counts array). */
  function legend(n) {
    var box = $("map-legend");
    box.textContent = "";
    types.map(function (t, i) { return [t, i]; }).sort(function (a, b) { return (n[b[1]] || 0) - (n[a[1]] || 0); })
      .forEach(function (ti) {
        if (!n[ti[1]]) { return; }
        var row = document.createElement("div");
        row.className = "legend-row";
        var icon = document.createElement("span");
        icon.className = "legend-icon";
        icon.innerHTML = P.glyph(ti[0], 14);  // constant markup from our palette, no data
        row.appendChild(icon);
        row.appendChild(document.createTextNode(typeLabel(ti[0]) + " (" + fmtNumber(n[ti[1]]) + ")"));
        box.appendChild(row);
      });
    var p = document.createElement("div");
    p.className = "legend-row legend-row--precision";
    var ring = document.createElement("span");
    ring.className = "legend-ring";
    p.appendChild(ring);
    p.appendChild(document.createTextNode(I18N.legend_uncertain));
    box.appendChild(p);
  }

  /* ---------- timeline ---------- */

  var timeline = T.create($("timeline-chart"), {
    label: I18N.timeline, emptyText: I18N.no_dates, formatMonth: fmtMonth, formatBin: fmtBin,
    labelGap: LANG === "ar" ? 170 : 80,
    onBrush: function (start, end) {
      state.filters.start = start;
      state.filters.end = end;
      $("f-start").value = start;
      $("f-end").value = end;
      changed();
    }
  });

  function autoStep(range) {
    if (!range) { return "month"; }
    var days = (T.parseDay(range[1]) - T.parseDay(range[0])) / 864e5;
    return days <= 120 ? "day" : days <= 900 ? "week" : "month";
  }

  var histogramSpan = null;
  function loadHistogram(token) {
    // The histogram ignores the date filter so the brush can widen the range as well as narrow it.
    var q = S.apiQuery(state.filters, ["start", "end"]);
    var step = state.step || autoStep(histogramSpan);
    q.set("step", step);
    return Y.getJSON(URLS.histogramUrl + "?" + q.toString()).then(function (h) {
      if (token !== loadToken) { return; }
      var bins = h.bins || [];
      var span = bins.length ? [bins[0].start, T.binEnd(bins[bins.length - 1].start, h.step)] : null;
      if (!state.step && span && autoStep(span) !== step && !histogramSpan) {
        histogramSpan = span;
        return loadHistogram(token);  // first sight of the data's span: redo at a fitting step
      }
      histogramSpan = span;
      timeline.render(h, state.filters.start, state.filters.end);
      $("timeline-total").textContent = plural(h.total || 0, I18N.incident, I18N.incidents) + " · " +
        (I18N.steps[h.step] || h.step);
      syncSlider();
    });
  }

  $("t-step").addEventListener("change", function () {
    state.step = $("t-step").value;
    stopPlay();
    state.cursor = "";
    writeUrl(true);
    track(loadHistogram(loadToken).then(function () { return applyTime(); }));
  });
  $("t-mode").addEventListener("change", function () {
    state.mode = $("t-mode").value;
    writeUrl(false);
    if (state.cursor) { track(applyTime()); }
  });
  $("t-clear-dates").addEventListener("click", function () {
    delete state.filters.start;
    delete state.filters.end;
    $("f-start").value = $("f-end").value = "";
    changed();
  });

  /* ---------- time slider ---------- */

  var playTimer = null;

  /* Bins the slider steps through: those inside the date filter. */
  function sliderBins() {
    var f = state.filters;
    var step = timeline.step();
    return timeline.bins().filter(function (b) {
      return (!f.start || T.binEnd(b.start, step) >= f.start) && (!f.end || b.start <= f.end);
    });
  }

  function syncSlider() {
    var bins = sliderBins();
    var slider = $("t-slider");
    slider.max = String(Math.max(0, bins.length - 1));
    slider.disabled = bins.length < 2;
    $("t-play").disabled = bins.length < 2;
    var i = -1;
    bins.forEach(function (b, k) { if (b.start === state.cursor) { i = k; } });
    if (state.cursor && i < 0) { state.cursor = ""; }
    slider.value = String(i < 0 ? bins.length - 1 : i);
    var all = timeline.bins();
    timeline.setCursor(state.cursor ? all.findIndex(function (b) { return b.start === state.cursor; }) : -1);
    $("t-label").textContent = state.cursor
      ? (state.mode === "win" ? fmtBin(state.cursor, timeline.step())
        : (state.filters.start ? fmtDate(state.filters.start) : I18N.beginning) + " – " + fmtDate(T.binEnd(state.cursor, timeline.step())))
      : I18N.all_dates;
  }

  function moveCursor(i) {
    var bins = sliderBins();
    if (!bins.length) { return Promise.resolve(); }
    state.cursor = bins[Math.max(0, Math.min(bins.length - 1, i))].start;
    syncSlider();
    writeUrl(false);
    return track(Promise.all([applyTime(), loadChoropleth(loadToken)]));
  }

  $("t-slider").addEventListener("input", function () { stopPlay(); moveCursor(+$("t-slider").value); });

  function stopPlay() {
    if (playTimer) { clearTimeout(playTimer); playTimer = null; }
    $("t-play").textContent = I18N.play;
    $("t-play").setAttribute("aria-pressed", "false");
    el.dataset.playing = "0";
  }

  function tick() {
    var bins = sliderBins();
    var i = state.cursor ? +$("t-slider").value + 1 : 0;
    if (i >= bins.length) { stopPlay(); return; }
    moveCursor(i).then(function () { if (playTimer) { playTimer = setTimeout(tick, 700); } });
  }

  $("t-play").addEventListener("click", function () {
    if (playTimer) { stopPlay(); return; }
    if (state.cursor && +$("t-slider").value >= sliderBins().length - 1) { state.cursor = ""; }
    $("t-play").textContent = I18N.pause;
    $("t-play").setAttribute("aria-pressed", "true");
    el.dataset.playing = "1";
    playTimer = setTimeout(tick, 0);
  });
  $("t-reset").addEventListener("click", function () {
    stopPlay();
    state.cursor = "";
    syncSlider();
    writeUrl(false);
    track(Promise.all([applyTime(), loadChoropleth(loadToken)]));
  });

  /* ---------- list of incidents in view ---------- */

  var listToken = 0;
  var LIST_LIMIT = 60;
  function refreshList() {
    var token = ++listToken;
    var bounds = map.getBounds();
    var f = effectiveFilters();
    var bbox = viewBbox(bounds, f);
    var list = $("incident-list");
    // With markers loaded the count in view is known here; with grid cells the list's answer tells it.
    var inView = mode === "cells" ? null : shown.filter(function (r) { return bounds.contains([r[1], r[2]]); }).length;
    if (inView !== null) { $("list-count").textContent = plural(inView, I18N.incident_in_view, I18N.incidents_in_view); }
    if (inView === 0 || !bbox) {
      list.textContent = "";
      if (inView === null) { $("list-count").textContent = plural(0, I18N.incident_in_view, I18N.incidents_in_view); }
      return;
    }
    var q = S.apiQuery(f);
    q.set("bbox", bbox);
    q.set("limit", String(LIST_LIMIT));
    // The API lists newest first; for oldest first take its last page and reverse it.
    function page(count) {
      if (state.sort === "asc") { q.set("offset", String(Math.max(0, count - LIST_LIMIT))); }
      return Y.getJSON(URLS.incidentsUrl + "?" + q.toString());
    }
    var first = inView === null && state.sort === "asc"
      ? page(0).then(function (fc) { return fc.count > LIST_LIMIT ? page(fc.count) : fc; })
      : page(inView || 0);
    // Not tracked: "ready" means the markers and the count are final; the list fills in just after.
    first.then(function (fc) {
      if (token !== listToken) { return; }
      var features = fc.features || [];
      if (state.sort === "asc") { features = features.slice().reverse(); }
      if (inView === null) { $("list-count").textContent = plural(fc.count, I18N.incident_in_view, I18N.incidents_in_view); }
      renderList(features, fc.count);
    }).catch(handleError);
  }

  function renderList(features, total) {
    var list = $("incident-list");
    list.textContent = "";
    features.forEach(function (f) {
      var p = f.properties;
      var li = document.createElement("li");
      var btn = document.createElement("button");
      btn.type = "button";
      btn.className = "incident-item" + (p.id === state.selected ? " is-selected" : "");
      btn.dataset.id = String(p.id);
      var icon = document.createElement("span");
      icon.className = "incident-item__icon";
      icon.innerHTML = P.glyph(p.event_type, 14);  // constant markup from our palette
      btn.appendChild(icon);
      var body = document.createElement("span");
      body.className = "incident-item__body";
      var place = (LANG === "ar" ? p.label_ar || p.label_en : p.label_en || p.label_ar) || I18N.unknown;
      body.appendChild(Y.text("span", place, { class: "incident-item__place", dir: "auto" }));
      body.appendChild(Y.text("span", fmtDate(p.date) + " · " + typeLabel(p.event_type) + " · " + I18N.precision_short + p.geo_precision,
        { class: "incident-item__meta" }));
      if (p.title) { body.appendChild(Y.text("span", p.title, { class: "incident-item__title", dir: "auto" })); }
      btn.appendChild(body);
      btn.addEventListener("click", function () { flyTo(f); });
      li.appendChild(btn);
      list.appendChild(li);
    });
    if (total > features.length) {
      list.appendChild(Y.text("li", I18N.more.replace("%(n)s", fmtNumber(total - features.length)), { class: "incident-list__more" }));
    }
  }

  $("list-sort").addEventListener("change", function () {
    state.sort = $("list-sort").value;
    writeUrl(true);
    refreshList();
  });

  /* A list entry (GeoJSON feature) was chosen: centre on it, open its popup and the detail panel. */
  function flyTo(feature) {
    var c = feature.geometry.coordinates;
    select(feature.properties.id, { popup: true, latlng: L.latLng(c[1], c[0]) });
  }

  /* ---------- selection, popup and detail panel ---------- */

  var detailToken = 0;
  function select(id, opts) {
    opts = opts || {};
    state.selected = id;
    if (opts.history !== false) { writeUrl(true); }
    document.querySelectorAll(".incident-item.is-selected").forEach(function (b) { b.classList.remove("is-selected"); });
    var item = document.querySelector('.incident-item[data-id="' + Number(id) + '"]');
    if (item) { item.classList.add("is-selected"); }
    var token = ++detailToken;
    $("detail").hidden = false;
    $("detail-body").textContent = I18N.loading;
    return track(Y.getJSON(URLS.incidentUrl + encodeURIComponent(id)).then(function (d) {
      if (token !== detailToken) { return; }
      renderDetail(d);
      showUncertainty(null, d);
      if (opts.popup) { openPopup(d, opts.latlng); }
    }).catch(function (err) {
      if (err.status === 404) {
        notice(I18N.no_incident.replace("%(id)s", String(id)));
        closeDetail(false);
        return;
      }
      throw err;
    }));
  }

  function openPopup(d, latlng) {
    latlng = latlng || L.latLng(d.lat, d.lon);
    if (map.getZoom() < 10 || !map.getBounds().contains(latlng)) {
      map.setView(latlng, Math.max(map.getZoom(), 11), { animate: false });
    }
    L.popup({ maxWidth: 320, autoPanPadding: [30, 30] }).setLatLng(latlng).setContent(popupContent(d)).openOn(map);
  }

  function popupContent(d) {
    var where = [d.label_en, d.label_ar].filter(Boolean).join(" / ");
    var box = P.popup([
      [I18N.f_title, d.title],
      [I18N.f_date, fmtDate(d.date)],
      [I18N.f_place, where],
      [I18N.f_type, typeLabel(d.event_type)],
      [I18N.f_summary, d.summary]
    ], [[I18N.f_article, d.article_url]]);
    box.className = "incident-popup";
    return box;
  }

  function detailRow(dl, label, value, attrs) {
    if (value === null || value === undefined || value === "") { return; }
    dl.appendChild(Y.text("dt", label));
    dl.appendChild(Y.text("dd", String(value), attrs || { dir: "auto" }));
  }

  /* The excerpt as text nodes, with each place mention wrapped in <mark> (offsets relative to the excerpt). */
  function excerptNode(d) {
    var p = document.createElement("p");
    p.className = "detail__excerpt";
    p.dir = d.lang === "ar" ? "rtl" : "auto";
    var text = d.excerpt || "";
    var at = 0;
    (d.mentions || []).slice().sort(function (a, b) { return a.start - b.start; }).forEach(function (m) {
      if (m.start < at || m.end > text.length || m.end <= m.start) { return; }
      if (d.excerpt_truncated_start && at === 0 && m.start > 0) { p.appendChild(document.createTextNode("…")); }
      p.appendChild(document.createTextNode(text.slice(at, m.start)));
      var mark = Y.text("mark", text.slice(m.start, m.end), { class: "mention mention--" + (m.role || "context") });
      if (m.role) { mark.title = I18N.roles[m.role] || m.role; }
      p.appendChild(mark);
      at = m.end;
    });
    if (d.excerpt_truncated_start && at === 0) { p.appendChild(document.createTextNode("…")); }
    p.appendChild(document.createTextNode(text.slice(at)));
    if (d.excerpt_truncated_end) { p.appendChild(document.createTextNode("…")); }
    return p;
  }

  function renderDetail(d) {
    var body = $("detail-body");
    body.textContent = "";
    body.appendChild(Y.text("h3", d.title || I18N.untitled, { class: "detail__title", dir: "auto" }));
    var dl = document.createElement("dl");
    dl.className = "facts detail__facts";
    detailRow(dl, I18N.f_source, d.source);
    detailRow(dl, I18N.f_published, d.published ? fmtDate(d.published.slice(0, 10)) : "");
    detailRow(dl, I18N.f_date, fmtDate(d.date) + (d.date_precision && d.date_precision !== "day" ? " (" + (I18N.steps[d.date_precision] || d.date_precision) + ")" : ""));
    detailRow(dl, I18N.f_place, [d.label_ar, d.label_en].filter(Boolean).join(" / "));
    detailRow(dl, I18N.f_type, typeLabel(d.event_type));
    detailRow(dl, I18N.f_actors, (d.actors || []).join(LANG === "ar" ? "، " : ", "));
    detailRow(dl, I18N.f_fatalities, d.fatalities);
    detailRow(dl, I18N.f_precision, d.geo_precision + " — " + (I18N.precisions[d.geo_precision] || ""));
    detailRow(dl, I18N.f_confidence, Math.round((d.confidence || 0) * 100) + "%");
    if (d.synthetic) { detailRow(dl, I18N.f_synthetic, I18N.yes); }
    body.appendChild(dl);
    if (d.summary) { body.appendChild(Y.text("p", d.summary, { class: "detail__summary", dir: "auto" })); }
    if (d.excerpt) { body.appendChild(excerptNode(d)); }
    var links = document.createElement("p");
    links.className = "detail__links";
    if (d.article_url && d.article_url.charAt(0) === "/") {
      links.appendChild(Y.text("a", I18N.open_article, { href: d.article_url }));
    }
    if (d.url && /^https?:\/\//i.test(d.url)) {
      links.appendChild(document.createTextNode(" · "));
      links.appendChild(Y.text("a", I18N.open_source, { href: d.url, rel: "noopener noreferrer nofollow", target: "_blank" }));
    }
    body.appendChild(links);
    $("detail").dataset.id = String(d.id);
  }

  function closeDetail(push) {
    state.selected = null;
    $("detail").hidden = true;
    uncertainty.clearLayers();
    map.closePopup();
    document.querySelectorAll(".incident-item.is-selected").forEach(function (b) { b.classList.remove("is-selected"); });
    if (push) { writeUrl(true); }
  }
  $("detail-close").addEventListener("click", function () { closeDetail(true); });

  /* ---------- start ---------- */

  document.body.dataset.ready = "0";
  reportProblems(parsed.problems);
  applyControls();
  drawArea();
  syncLayers();
  if (parsed.problems.length) { writeUrl(false); }
  // An unknown region in a link is dropped before the first request rather than refused by the server.
  (state.filters.region ? loadRegions() : Promise.resolve()).then(load);
  if (state.selected) { select(state.selected, { history: false }); }
  window.conflictmap = { map: map, state: function () { return state; }, clusters: clusters };
})();
