/* Entry module of the review queue (/review/): loads the queue, shows its first incident, and wires the
 * keyboard, the buttons (one delegated click handler on data-action) and the map.
 * body[data-ready] is "0" while an action or a load runs, "1" when its result is shown; body[data-shown] is
 * the id of the incident shown. `handle.timings` lists each action with its milliseconds and requests (the
 * browser test and bench/bench_review_queue.py read it). */
import { $, I18N } from "./map-text.js";
import {
  chooseMention, closePointForm, confirm, dropMention, edit, goTo, leadReport, merge, mergeEvent, next, openPointForm,
  pick, prev, reject, run, save, savePoint, show, split, stepMentions, timings, unlinkReport, usePlace
} from "./review-actions.js";
import { actorRow, syncSplit } from "./review-detail.js";
import { bindKeys, toggleHelp } from "./review-keys.js";
import { createMiniMap } from "./review-map.js";
import { message } from "./review-messages.js";
import { loadQueue } from "./review-queue.js";
import { search } from "./review-search.js";
import { queue, root } from "./review-state.js";

export const handle = { timings: timings, queue: queue };

const KEYS = {
  j: ["next", next], ArrowDown: ["next", next], k: ["prev", prev], ArrowUp: ["prev", prev],
  c: ["confirm", confirm], x: ["reject", reject], e: ["edit", edit],
  m: ["mention", function () { stepMentions(1); }], M: ["mention", function () { stepMentions(-1); }],
  n: ["not-place", function () { return dropMention(true); }],
  "/": ["search", function () { const box = $("r-search"); box.focus(); box.select(); }],
  "?": ["help", toggleHelp]
};
["1", "2", "3", "4", "5"].forEach(function (n) { KEYS[n] = ["pick", function () { return pick(Number(n)); }]; });

/* What each data-action button does; `b` is the button. */
const CLICKS = {
  prev: prev, next: next, confirm: confirm, reject: reject, edit: edit, split: split, merge: merge,
  goto: function (b) { return goTo(Number(b.dataset.index)); },
  "select-mention": function (b) { chooseMention(Number(b.dataset.mention)); },
  pick: function (b) { return pick(Number(b.dataset.n), Number(b.dataset.mention)); },
  "not-place": function (b) { return dropMention(true, Number(b.dataset.mention)); },
  "not-event": function (b) { return dropMention(false, Number(b.dataset.mention)); },
  "use-place": function (b) { return usePlace(Number(b.dataset.place)); },
  "merge-pick": function (b) { $("r-merge-id").value = b.dataset.id; },
  "event-unlink": function (b) { return unlinkReport(Number(b.dataset.report)); },
  "event-lead": function (b) { return leadReport(Number(b.dataset.report)); },
  "event-merge": mergeEvent,
  "remove-actor": function (b) { b.closest("li").remove(); }
};

function wire() {
  root.addEventListener("click", function (e) {
    const b = e.target.closest("[data-action]");
    if (!b || !CLICKS[b.dataset.action]) { return; }
    const name = b.dataset.action;
    run(name, function () { return CLICKS[name](b); });
  });
  root.addEventListener("change", function (e) { if (e.target.matches("input[data-split]")) { syncSplit(); } });
  $("r-form").addEventListener("submit", function (e) { e.preventDefault(); run("save", save); });
  $("f-add-actor").addEventListener("click", function () {
    const row = actorRow({ name: "", side: null });
    $("f-actors").appendChild(row);
    row.querySelector("input").focus();
  });
  $("r-search-form").addEventListener("submit", function (e) { e.preventDefault(); run("search", search); });
  $("r-point-form").addEventListener("submit", function (e) { e.preventDefault(); run("new-point", savePoint); });
  $("r-point-cancel").addEventListener("click", closePointForm);
  $("help-open").addEventListener("click", toggleHelp);
  bindKeys(Object.fromEntries(Object.entries(KEYS).map(function (entry) {
    return [entry[0], function () { run(entry[1][0], entry[1][1]); }];
  })));
}

function start() {
  wire();
  createMiniMap($("review-map"), openPointForm, function (n) { run("pick", function () { return pick(n); }); });
  if (root.dataset.valid !== "1") { document.body.dataset.ready = "1"; return; }
  run("load", function () {
    return loadQueue().then(function (res) {
      if (!res.ok) { message(res.body.error || I18N.load_failed, "error"); return; }
      if (!queue.items.length) { $("review-empty").hidden = false; return; }
      return show(0);
    });
  });
}

if (root && window.L) { start(); }
