/* The timeline under the map: the histogram (timeline-chart.js) with its brush, the step and mode pickers,
 * and the time slider with play/pause, whose cursor narrows the dates the map shows. */
import { getJSON } from "./map-api.js";
import { apiQuery } from "./map-query.js";
import { currentLoad, state, unitWords, writeUrl } from "./map-state.js";
import { $, fmtBin, fmtDate, fmtMonth, I18N, LANG, plural } from "./map-text.js";
import { el, URLS } from "./map-view.js";
import { track } from "./map-track.js";
import { binEnd, create, parseDay } from "./timeline-chart.js";

let timeline = null;
let histogramSpan = null;  // [first day, last day] of the data, once seen: picks the automatic step
let playTimer = null;
/* Wired in by the entry module (createTimeline): changed() of the filters, applyTime() of the markers,
 * loadChoropleth(token) of the layers; the modules above this one. */
const hooks = {};
function changed() { hooks.changed(); }
function applyTime() { return hooks.applyTime(); }
function loadChoropleth(token) { return hooks.loadChoropleth(token); }

export function createTimeline(options) {
  Object.assign(hooks, options);
  timeline = create($("timeline-chart"), {
    label: I18N.timeline, emptyText: I18N.no_dates, formatMonth: fmtMonth, formatBin: fmtBin,
    labelGap: LANG === "ar" ? 170 : 80,
    onBrush: function (start, end) {
      state().filters.start = start;
      state().filters.end = end;
      $("f-start").value = start;
      $("f-end").value = end;
      changed();
    }
  });
  listenToControls();
  listenToSlider();
}

/* The dates the slider cursor shows, narrowing the filter's range. */
export function cursorWindow() {
  const s = state();
  if (!s.cursor) { return null; }
  const end = binEnd(s.cursor, timeline.step());
  return { start: s.mode === "win" ? s.cursor : (s.filters.start || ""), end: end };
}

/* The filters with the slider's dates applied. */
export function effectiveFilters() {
  const f = Object.assign({}, state().filters);
  const w = cursorWindow();
  if (w) {
    if (w.start) { f.start = w.start; }
    f.end = w.end;
  }
  return f;
}

function autoStep(range) {
  if (!range) { return "month"; }
  const days = (parseDay(range[1]) - parseDay(range[0])) / 864e5;
  return days <= 120 ? "day" : days <= 900 ? "week" : "month";
}

export function loadHistogram(token) {
  const s = state();
  // The histogram ignores the date filter so the brush can widen the range as well as narrow it.
  const q = apiQuery(s.filters, ["start", "end"]);
  const step = s.step || autoStep(histogramSpan);
  q.set("step", step);
  return getJSON(URLS.histogramUrl + "?" + q.toString()).then(function (h) {
    if (token !== currentLoad()) { return; }
    const bins = h.bins || [];
    const span = bins.length ? [bins[0].start, binEnd(bins[bins.length - 1].start, h.step)] : null;
    if (!state().step && span && autoStep(span) !== step && !histogramSpan) {
      histogramSpan = span;
      return loadHistogram(token);  // first sight of the data's span: redo at a fitting step
    }
    histogramSpan = span;
    timeline.render(h, state().filters.start, state().filters.end);
    $("timeline-total").textContent = plural(h.total || 0, unitWords()[0], unitWords()[1]) + " · " +
      (I18N.steps[h.step] || h.step);
    syncSlider();
  });
}

function listenToControls() {
  $("t-step").addEventListener("change", function () {
    state().step = $("t-step").value;
    stopPlay();
    state().cursor = "";
    writeUrl(true);
    track(loadHistogram(currentLoad()).then(function () { return applyTime(); }));
  });
  $("t-mode").addEventListener("change", function () {
    state().mode = $("t-mode").value;
    writeUrl(false);
    if (state().cursor) { track(applyTime()); }
  });
  $("t-clear-dates").addEventListener("click", function () {
    delete state().filters.start;
    delete state().filters.end;
    $("f-start").value = $("f-end").value = "";
    changed();
  });
}

/* Bins the slider steps through: those inside the date filter. */
function sliderBins() {
  const f = state().filters;
  const step = timeline.step();
  return timeline.bins().filter(function (b) {
    return (!f.start || binEnd(b.start, step) >= f.start) && (!f.end || b.start <= f.end);
  });
}

function syncSlider() {
  const s = state();
  const bins = sliderBins();
  const slider = $("t-slider");
  slider.max = String(Math.max(0, bins.length - 1));
  slider.disabled = bins.length < 2;
  $("t-play").disabled = bins.length < 2;
  let i = -1;
  bins.forEach(function (b, k) { if (b.start === s.cursor) { i = k; } });
  if (s.cursor && i < 0) { s.cursor = ""; }
  slider.value = String(i < 0 ? bins.length - 1 : i);
  const all = timeline.bins();
  timeline.setCursor(s.cursor ? all.findIndex(function (b) { return b.start === s.cursor; }) : -1);
  $("t-label").textContent = cursorLabel(s);
}

function cursorLabel(s) {
  if (!s.cursor) { return I18N.all_dates; }
  if (s.mode === "win") { return fmtBin(s.cursor, timeline.step()); }
  return (s.filters.start ? fmtDate(s.filters.start) : I18N.beginning) + " – " + fmtDate(binEnd(s.cursor, timeline.step()));
}

function moveCursor(i) {
  const bins = sliderBins();
  if (!bins.length) { return Promise.resolve(); }
  state().cursor = bins[Math.max(0, Math.min(bins.length - 1, i))].start;
  syncSlider();
  writeUrl(false);
  return track(Promise.all([applyTime(), loadChoropleth(currentLoad())]));
}

export function stopPlay() {
  if (playTimer) { clearTimeout(playTimer); playTimer = null; }
  $("t-play").textContent = I18N.play;
  $("t-play").setAttribute("aria-pressed", "false");
  el.dataset.playing = "0";
}

function tick() {
  const bins = sliderBins();
  const i = state().cursor ? +$("t-slider").value + 1 : 0;
  if (i >= bins.length) { stopPlay(); return; }
  moveCursor(i).then(function () { if (playTimer) { playTimer = setTimeout(tick, 700); } });
}

function listenToSlider() {
  $("t-slider").addEventListener("input", function () { stopPlay(); moveCursor(+$("t-slider").value); });
  $("t-play").addEventListener("click", function () {
    if (playTimer) { stopPlay(); return; }
    if (state().cursor && +$("t-slider").value >= sliderBins().length - 1) { state().cursor = ""; }
    $("t-play").textContent = I18N.pause;
    $("t-play").setAttribute("aria-pressed", "true");
    el.dataset.playing = "1";
    playTimer = setTimeout(tick, 0);
  });
  $("t-reset").addEventListener("click", function () {
    stopPlay();
    state().cursor = "";
    syncSlider();
    writeUrl(false);
    track(Promise.all([applyTime(), loadChoropleth(currentLoad())]));
  });
}
