/* Timeline chart under the map (no map state of its own): an SVG histogram of incidents per day/week/month, a drag-to-select brush for the
 * date range, and the cursor of the time slider. No chart library: a few rects and lines.
 */
var NS = "http://www.w3.org/2000/svg";
var HEIGHT = 96, AXIS = 18, TOP = 6;

function svgEl(tag, attrs) {
  var node = document.createElementNS(NS, tag);
  Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
  return node;
}

export function parseDay(text) {
  var p = text.split("-").map(Number);
  return new Date(Date.UTC(p[0], p[1] - 1, p[2]));
}

export function iso(date) { return date.toISOString().slice(0, 10); }

/* First day of the bin after the one starting at `start`. */
export function nextStart(start, step) {
  var d = parseDay(start);
  if (step === "day") { d.setUTCDate(d.getUTCDate() + 1); }
  else if (step === "week") { d.setUTCDate(d.getUTCDate() + 7); }
  else { d.setUTCMonth(d.getUTCMonth() + 1, 1); }
  return iso(d);
}

/* Last day covered by the bin starting at `start`. */
export function binEnd(start, step) {
  var d = parseDay(nextStart(start, step));
  d.setUTCDate(d.getUTCDate() - 1);
  return iso(d);
}

export function create(root, options) {
  var svg = svgEl("svg", { class: "timeline__svg", role: "img", height: String(HEIGHT) });
  svg.setAttribute("aria-label", options.label || "");
  root.appendChild(svg);
  var data = { bins: [], step: "month" };
  var selection = { start: "", end: "" };
  var cursor = -1;
  var drag = null;

  function width() { return Math.max(200, root.clientWidth || 600); }

  function xOf(i) { return (i / Math.max(1, data.bins.length)) * width(); }

  function indexAt(clientX) {
    var rect = svg.getBoundingClientRect();
    var n = data.bins.length;
    return Math.min(n - 1, Math.max(0, Math.floor(((clientX - rect.left) / rect.width) * n)));
  }

  function selectedRange() {
    var i0 = -1, i1 = -1;
    data.bins.forEach(function (b, i) {
      var end = binEnd(b.start, data.step);
      var inside = (!selection.start || end >= selection.start) && (!selection.end || b.start <= selection.end);
      if (inside) { if (i0 < 0) { i0 = i; } i1 = i; }
    });
    return (selection.start || selection.end) && i0 >= 0 ? [i0, i1] : null;
  }

  /* Label month starts, no closer than labelGap px apart. */
  function drawAxis(w) {
    var every = Math.max(1, Math.ceil(data.bins.length / Math.max(2, Math.floor(w / (options.labelGap || 90)))));
    var placed = -every;
    var previous = "";
    data.bins.forEach(function (b, i) {
      var month = b.start.slice(0, 7);
      var starts = month !== previous;
      previous = month;
      if (!starts || i - placed < every) { return; }
      placed = i;
      var x = xOf(i);
      svg.appendChild(svgEl("line", { x1: x, x2: x, y1: HEIGHT - AXIS, y2: HEIGHT - AXIS + 4, class: "timeline__tick" }));
      var t = svgEl("text", { x: x + 2, y: HEIGHT - 4, class: "timeline__label" });
      t.textContent = options.formatMonth(b.start);
      svg.appendChild(t);
    });
  }

  function draw() {
    while (svg.firstChild) { svg.removeChild(svg.firstChild); }
    var w = width();
    svg.setAttribute("width", String(w));
    svg.setAttribute("viewBox", "0 0 " + w + " " + HEIGHT);
    var max = data.bins.reduce(function (m, b) { return Math.max(m, b.count); }, 0);
    var range = selectedRange();
    var bw = w / Math.max(1, data.bins.length);
    var plot = HEIGHT - AXIS - TOP;
    svg.appendChild(svgEl("rect", { x: 0, y: 0, width: w, height: HEIGHT - AXIS, class: "timeline__bg" }));
    if (range) {
      svg.appendChild(svgEl("rect", {
        x: xOf(range[0]), y: 0, width: xOf(range[1] + 1) - xOf(range[0]), height: HEIGHT - AXIS,
        class: "timeline__selection"
      }));
    }
    data.bins.forEach(function (b, i) {
      if (!b.count) { return; }
      var h = Math.max(1, (b.count / max) * plot);
      var inRange = !range || (i >= range[0] && i <= range[1]);
      var bar = svgEl("rect", {
        x: xOf(i) + (bw > 3 ? 0.5 : 0), y: TOP + plot - h, width: Math.max(0.5, bw - (bw > 3 ? 1 : 0)), height: h,
        class: "timeline__bar" + (inRange ? "" : " timeline__bar--out")
      });
      var title = svgEl("title");
      title.textContent = options.formatBin(b.start, data.step) + ": " + b.count;
      bar.appendChild(title);
      svg.appendChild(bar);
    });
    svg.appendChild(svgEl("line", { x1: 0, x2: w, y1: HEIGHT - AXIS, y2: HEIGHT - AXIS, class: "timeline__axis" }));
    drawAxis(w);
    if (cursor >= 0 && cursor < data.bins.length) {
      var cx = xOf(cursor + 1);
      svg.appendChild(svgEl("line", { x1: cx, x2: cx, y1: 0, y2: HEIGHT - AXIS, class: "timeline__cursor" }));
    }
    if (drag && drag.moved) {
      var a = Math.min(drag.i0, drag.i1), z = Math.max(drag.i0, drag.i1);
      svg.appendChild(svgEl("rect", {
        x: xOf(a), y: 0, width: xOf(z + 1) - xOf(a), height: HEIGHT - AXIS, class: "timeline__brush"
      }));
    }
    if (!data.bins.length) {
      var empty = svgEl("text", { x: w / 2, y: HEIGHT / 2, class: "timeline__empty", "text-anchor": "middle" });
      empty.textContent = options.emptyText || "";
      svg.appendChild(empty);
    }
  }

  svg.addEventListener("pointerdown", function (ev) {
    if (!data.bins.length || ev.button !== 0) { return; }
    svg.setPointerCapture(ev.pointerId);
    drag = { i0: indexAt(ev.clientX), i1: indexAt(ev.clientX), x: ev.clientX, moved: false };
  });
  svg.addEventListener("pointermove", function (ev) {
    if (!drag) { return; }
    drag.i1 = indexAt(ev.clientX);
    drag.moved = drag.moved || Math.abs(ev.clientX - drag.x) > 3;
    if (drag.moved) { draw(); }
  });
  function finish(ev) {
    if (!drag) { return; }
    var d = drag;
    drag = null;
    d.i1 = indexAt(ev.clientX);
    var a = Math.min(d.i0, d.i1), z = Math.max(d.i0, d.i1);
    // A click (no drag) selects the one bin under the pointer.
    options.onBrush(data.bins[a].start, binEnd(data.bins[z].start, data.step));
  }
  svg.addEventListener("pointerup", finish);
  svg.addEventListener("pointercancel", function () { drag = null; draw(); });
  window.addEventListener("resize", function () { draw(); });

  return {
    render: function (histogram, start, end) {
      data = { bins: histogram.bins || [], step: histogram.step || "month" };
      selection = { start: start || "", end: end || "" };
      draw();
    },
    setSelection: function (start, end) { selection = { start: start || "", end: end || "" }; draw(); },
    setCursor: function (i) { cursor = i; draw(); },
    bins: function () { return data.bins; },
    step: function () { return data.step; }
  };
}
