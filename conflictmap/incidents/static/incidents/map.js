/* Incidents map: admin polygons as the basemap, incident markers from /api/incidents, filters and counts. */
(function () {
  "use strict";
  var el = document.getElementById("incident-map");
  if (!el || !window.L) { return; }
  var P = window.conflictmapPalette;
  var $ = function (id) { return document.getElementById(id); };
  var selects = [$("f-gov"), $("f-dist"), $("f-sub")];
  var SYRIA = [[32.3, 35.7], [37.4, 42.4]];
  var map = L.map(el).fitBounds(SYRIA);
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution || "" }).addTo(map);
  }
  var basemap = L.layerGroup().addTo(map);
  var outline = L.layerGroup().addTo(map);
  var markers = L.layerGroup().addTo(map);
  var regions = {};  // pcode -> node
  var pending = null;

  function getJSON(url) {
    return fetch(url, { headers: { "Accept": "application/json" } }).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) { throw new Error(body.error || ("HTTP " + r.status)); }
        return body;
      });
    });
  }

  function regionName(node) {
    return node.name_en + (node.name_ar ? " / " + node.name_ar : "");
  }

  function fill(select, nodes, blank) {
    while (select.options.length > 1) { select.remove(1); }
    (nodes || []).forEach(function (node) {
      var opt = document.createElement("option");
      opt.value = node.pcode;
      opt.textContent = regionName(node);
      select.appendChild(opt);
    });
    select.disabled = !nodes || nodes.length === 0;
    select.value = blank || "";
  }

  function index(nodes) {
    nodes.forEach(function (n) { regions[n.pcode] = n; index(n.children || []); });
  }

  function currentRegion() {
    for (var i = selects.length - 1; i >= 0; i--) { if (selects[i].value) { return selects[i].value; } }
    return "";
  }

  function onRegionChange(level) {
    var pcode = selects[level].value;
    for (var i = level + 1; i < selects.length; i++) {
      var parent = i === level + 1 ? regions[pcode] : null;
      fill(selects[i], parent ? parent.children : []);
    }
    var region = currentRegion();
    outline.clearLayers();
    if (region) {
      var node = regions[region];
      if (node) { map.fitBounds([[node.bbox[1], node.bbox[0]], [node.bbox[3], node.bbox[2]]], { padding: [20, 20] }); }
      getJSON(el.dataset.regionsUrl + "/" + encodeURIComponent(region)).then(function (feature) {
        L.geoJSON(feature, { style: { color: "#d7301f", weight: 3, fill: false }, interactive: false }).addTo(outline);
      }).catch(function () {});
    } else {
      map.fitBounds(SYRIA);
    }
    load();
  }

  function params() {
    var p = new URLSearchParams();
    var region = currentRegion();
    if (region) { p.set("region", region); }
    ["start", "end"].forEach(function (k) { if ($("f-" + k).value) { p.set(k, $("f-" + k).value); } });
    if ($("f-type").value) { p.set("event_type", $("f-type").value); }
    if ($("f-q").value.trim()) { p.set("q", $("f-q").value.trim()); }
    p.set("limit", "5000");
    return p;
  }

  function popupFor(props) {
    var where = [props.label_en, props.label_ar].filter(Boolean).join(" / ");
    var admin = [props.admin1_pcode, props.admin2_pcode, props.admin3_pcode].filter(Boolean).join(" › ");
    return P.popup([
      ["Title", props.title],
      ["Date", props.date ? props.date + " (" + props.date_precision + ")" : "unknown"],
      ["Location", where + (admin ? " (" + admin + ")" : "")],
      ["Geo-precision", String(props.geo_precision)],
      ["Type", (props.event_type || "").replace(/_/g, " ")],
      ["Actors", (props.actors || []).join(", ")],
      ["Summary", props.summary]
    ], [["Article", props.article_url], ["Source", props.source_url]]);
  }

  function legend(types) {
    var box = $("map-legend");
    box.textContent = "";
    Object.keys(types).sort().forEach(function (t) {
      var row = document.createElement("div");
      var dot = document.createElement("span");
      dot.style.background = P.colour(t);
      row.appendChild(dot);
      row.appendChild(document.createTextNode((t ? t.replace(/_/g, " ") : "unspecified") + " (" + types[t] + ")"));
      box.appendChild(row);
    });
  }

  function load() {
    var url = el.dataset.incidentsUrl + "?" + params().toString();
    var token = pending = {};
    $("map-error").hidden = true;
    getJSON(url).then(function (fc) {
      if (token !== pending) { return; }  // a newer request superseded this one
      markers.clearLayers();
      var types = {};
      fc.features.forEach(function (f) {
        var props = f.properties;
        types[props.event_type] = (types[props.event_type] || 0) + 1;
        L.circleMarker([f.geometry.coordinates[1], f.geometry.coordinates[0]], {
          radius: props.geo_precision === 1 ? 7 : props.geo_precision === 2 ? 9 : 11,
          color: "#222", weight: 1, fillColor: P.colour(props.event_type), fillOpacity: 0.85,
          className: "incident-marker"
        }).bindPopup(function () { return popupFor(props); }).addTo(markers);
      });
      legend(types);
      var counts = $("map-counts");
      counts.dataset.count = String(fc.count);
      counts.dataset.shown = String(fc.returned);
      counts.textContent = fc.returned === fc.count
        ? fc.count + (fc.count === 1 ? " incident" : " incidents")
        : fc.returned + " of " + fc.count + " incidents shown";
    }).catch(function (err) {
      $("map-error").textContent = err.message;
      $("map-error").hidden = false;
    });
  }

  getJSON(el.dataset.areasUrl + "?level=1").then(function (fc) {
    L.geoJSON(fc, {
      style: { color: "#666", weight: 1, fillColor: "#f4f1ea", fillOpacity: 0.8 },
      onEachFeature: function (f, layer) { layer.bindTooltip(f.properties.name_en + " / " + f.properties.name_ar); }
    }).addTo(basemap);
  }).catch(function () {});

  getJSON(el.dataset.regionsUrl).then(function (tree) {
    index(tree.regions);
    fill(selects[0], tree.regions);
    selects[0].disabled = false;
  });
  selects.forEach(function (s, i) { s.addEventListener("change", function () { onRegionChange(i); }); });
  ["f-start", "f-end", "f-type"].forEach(function (id) { $(id).addEventListener("change", load); });
  var typing = null;
  $("f-q").addEventListener("input", function () { clearTimeout(typing); typing = setTimeout(load, 300); });
  $("f-reset").addEventListener("click", function () {
    ["f-start", "f-end", "f-q"].forEach(function (id) { $(id).value = ""; });
    $("f-type").value = "";
    selects[0].value = "";
    onRegionChange(0);
  });
  load();
})();
