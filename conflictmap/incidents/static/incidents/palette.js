/* Shared by the article page and the map page: a stable colour and glyph per event type, safe popups. */

/* ACLED event types as geoparse.events names them, plus a few spelled-out variants. */
var FIXED = {
  "battles": "#d7301f", "explosions_remote_violence": "#ff7f00", "violence_against_civilians": "#ae017e",
  "strategic_developments": "#6a51a3", "protests": "#1d91c0", "riots": "#41b6c4",
  "battle": "#d7301f", "explosion": "#ff7f00", "airstrike": "#b30000", "shelling": "#ef6548",
  "security operation": "#6a51a3", "arrest": "#807dba", "protest": "#1d91c0", "attack": "#e6550d"
};
var SPARE = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"];
export function colour(type) {
  var key = (type || "").toLowerCase();
  if (FIXED[key]) { return FIXED[key]; }
  if (!key) { return "#555555"; }
  var h = 0;
  for (var i = 0; i < key.length; i++) { h = (h * 31 + key.charCodeAt(i)) >>> 0; }
  return SPARE[h % SPARE.length];
}
/* Build a popup as DOM nodes: every value is set as text, so nothing from an article is parsed as HTML.
 * A row's value may be a list (e.g. a label in two languages): one line each, each with its own direction. */
export function popup(rows, link) {
  var box = document.createElement("div");
  rows.forEach(function (row) {
    var values = (Array.isArray(row[1]) ? row[1] : [row[1]]).filter(Boolean);
    if (!values.length) { return; }
    var p = document.createElement("div");
    var b = document.createElement("strong");
    b.textContent = row[0] + ": ";
    p.appendChild(b);
    values.forEach(function (value, i) {
      if (i) { p.appendChild(document.createElement("br")); }
      var span = document.createElement("span");
      span.textContent = value;
      span.dir = "auto";
      p.appendChild(span);
    });
    box.appendChild(p);
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
/* One glyph per ACLED event type, so types differ by shape as well as colour (for colour-blind readers). */
var SHAPES = {
  "battles": "M8 1 L15 8 L8 15 L1 8 Z",
  "explosions_remote_violence": "M8 0 L10 5.5 L16 6 L11.5 10 L13 16 L8 12.5 L3 16 L4.5 10 L0 6 L6 5.5 Z",
  "violence_against_civilians": "M8 1 L15 14 L1 14 Z",
  "strategic_developments": "M2 2 H14 V14 H2 Z",
  "protests": "M5.5 1 H10.5 V5.5 H15 V10.5 H10.5 V15 H5.5 V10.5 H1 V5.5 H5.5 Z",
  "riots": "M4 1 H12 L15 8 L12 15 H4 L1 8 Z"
};
var CIRCLE = "M8 1.5 A6.5 6.5 0 1 1 7.99 1.5 Z";
export function shape(type) { return SHAPES[(type || "").toLowerCase()] || CIRCLE; }
/* A small inline SVG (markup built only from our own constants, never from data). */
export function glyph(type, size) {
  var s = String(size || 16);
  return '<svg class="type-glyph" width="' + s + '" height="' + s + '" viewBox="0 0 16 16" aria-hidden="true">' +
    '<path d="' + shape(type) + '" fill="' + colour(type) + '" stroke="#1f2933" stroke-width="1.2"/></svg>';
}
