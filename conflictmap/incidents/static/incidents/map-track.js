/* Loading bookkeeping: track() keeps body[data-ready] at "0" while any tracked request runs (tests and the
 * benchmark wait for "1"), handleError() reports failures. What a refused filter and the first paint set off
 * (the filter panel's work) is wired in by the entry module with initTrack, so this module imports nothing
 * above it. */
import { FILTERS } from "./map-query.js";
import { state } from "./map-state.js";
import { I18N, notice } from "./map-text.js";

let pending = 0;
let painted = false;
/* onRefused(err): the server refused filter err.parameter; onFirstPaint(): the first view is drawn. */
const hooks = { onRefused: function () {}, onFirstPaint: function () {} };

export function initTrack(options) { Object.assign(hooks, options); }

/* `ready` is "1" once the markers or grid bubbles of the view are drawn and #incident-count is final. */
export function track(promise) {
  pending += 1;
  document.body.dataset.ready = "0";
  return promise.catch(handleError).finally(function () {
    pending -= 1;
    if (pending === 0) {
      document.body.dataset.ready = "1";
      // Requests the first paint does not need go out once the page is ready (see map.js).
      if (!painted) { painted = true; setTimeout(function () { hooks.onFirstPaint(); }, 0); }
    }
  });
}

export function handleError(err) {
  const f = state().filters;
  if (err && err.parameter && FILTERS.indexOf(err.parameter) >= 0 && f[err.parameter] === undefined) {
    return;  // a parallel request already dropped this parameter and reloaded
  }
  if (err && err.parameter && f[err.parameter] !== undefined) {
    hooks.onRefused(err);
    return;
  }
  notice(I18N.load_failed + " " + (err && err.message ? err.message : ""));
}
