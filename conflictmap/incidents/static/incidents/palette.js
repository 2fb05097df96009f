/* Shared by the article page and the map page: a stable colour per event type. */
(function () {
  "use strict";
  /* ACLED event types as conflictmap.geoparse.events names them, plus a few spelled-out variants. */
  var FIXED = {
    "battles": "#d7301f", "explosions_remote_violence": "#ff7f00", "violence_against_civilians": "#ae017e",
    "strategic_developments": "#6a51a3", "protests": "#1d91c0", "riots": "#41b6c4",
    "battle": "#d7301f", "explosion": "#ff7f00", "airstrike": "#b30000", "shelling": "#ef6548",
    "security operation": "#6a51a3", "arrest": "#807dba", "protest": "#1d91c0", "attack": "#e6550d"
  };
  var SPARE = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"];
  function colour(type) {
    var key = (type || "").toLowerCase();
    if (FIXED[key]) { return FIXED[key]; }
    if (!key) { return "#555555"; }
    var h = 0;
    for (var i = 0; i < key.length; i++) { h = (h * 31 + key.charCodeAt(i)) >>> 0; }
    return SPARE[h % SPARE.length];
  }
  /* Build a popup as DOM nodes: every value is set as text, so nothing from an article is parsed as HTML. */
  function popup(rows, link) {
    var box = document.createElement("div");
    rows.forEach(function (row) {
      if (!row[1]) { return; }
      var p = document.createElement("div");
      var b = document.createElement("strong");
      b.textContent = row[0] + ": ";
      var span = document.createElement("span");
      span.textContent = row[1];
      span.dir = "auto";
      p.appendChild(b); p.appendChild(span); box.appendChild(p);
    });
    (link || []).forEach(function (l) {
      if (!l[1]) { return; }
      var a = document.createElement("a");
      a.textContent = l[0];
      a.href = l[1];
      a.rel = "noopener noreferrer nofollow";
      if (/^https?:/i.test(l[1]) || l[1].charAt(0) === "/") { box.appendChild(a); box.appendChild(document.createTextNode(" ")); }
    });
    return box;
  }
  window.conflictmapPalette = { colour: colour, popup: popup };
})();
