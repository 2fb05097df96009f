/* What the reviewer does to the incident shown: move in the queue, confirm, reject, correct, relocate (a
 * candidate, a search result or a clicked point), take a mention out, split, merge; unlink, lead and merge on
 * the incident's event (those answer the event; the incident is fetched again). Each incident action names the
 * version it was made on; a 409 opens the conflict panel (the form keeps the reviewer's edits), a 400 puts
 * its errors next to their fields. run() performs actions one after the other (keys typed ahead wait their
 * turn) and records how long each took and how many requests it sent. */
import { $, fill, I18N } from "./map-text.js";
import { call, sent } from "./review-api.js";
import {
  changes, dirty, mentionOrder, renderDetail, selectedMention, selectMention, splitIds, stepMention
} from "./review-detail.js";
import { clearPending, drawIncident, showPending } from "./review-map.js";
import { clearErrors, hideConflict, message, showConflict, showErrors } from "./review-messages.js";
import { insertAfterCurrent, markMerged, refill, renderPosition, updateItem } from "./review-queue.js";
import { actionUrl, CAN_REVIEW, current, forget, loadDetail, queue, remember } from "./review-state.js";

/* One entry per action performed: {action, ms (from the key or click to the page showing its result), requests}. */
export const timings = [];
let chain = Promise.resolve();
let running = 0;
let leaveArmed = false;  // the unsaved-changes warning was shown: the same move again goes ahead

/* Perform fn() after the actions before it; body[data-ready] is "0" until none is left. */
export function run(name, fn) {
  const started = performance.now();
  let before = 0;
  running += 1;
  document.body.dataset.ready = "0";
  chain = chain.then(function () { before = sent.count; return fn(); }).catch(function (err) {
    console.warn(err);
    message(I18N.load_failed, "error");
  }).then(function () {
    timings.push({ action: name, ms: performance.now() - started, requests: sent.count - before });
    running -= 1;
    if (!running) { document.body.dataset.ready = "1"; }
  });
  return chain;
}

function draw(d, same) {
  renderDetail(d, same);
  $("review-head").hidden = false;
  $("review-body").hidden = false;
  drawIncident(d, selectedMention(), same);
}

function prefetch(index) {
  const item = queue.items[index];
  if (item) { loadDetail(item.id).catch(function () {}); }
}

/* Show the queue's incident at `index` (its detail is usually prefetched) and prefetch the one after it. */
export function show(index) {
  if (index < 0 || index >= queue.items.length) { return Promise.resolve(false); }
  queue.index = index;
  leaveArmed = false;
  renderPosition();
  const id = queue.items[index].id;
  return loadDetail(id).then(function (res) {
    if (queue.index !== index) { return false; }
    if (!res.ok) { message(fill(I18N.refused, { status: res.status }), "error"); return false; }
    hideConflict();
    clearErrors();
    closePointForm();
    draw(res.body, false);
    prefetch(index + 1);
    refill();
    return true;
  });
}

/* Whether the reviewer may leave the incident: unsaved edits warn once, the same move again leaves them. */
function mayLeave() {
  if (!dirty() || leaveArmed) { leaveArmed = false; return true; }
  leaveArmed = true;
  message(I18N.unsaved, "info");
  return false;
}

export function next() {
  if (!mayLeave()) { return Promise.resolve(false); }
  if (queue.index + 1 >= queue.items.length) { message(I18N.end_of_queue, "info"); return Promise.resolve(false); }
  return show(queue.index + 1);
}

export function prev() {
  if (!mayLeave()) { return Promise.resolve(false); }
  return show(queue.index - 1);
}

/* Show the queue's incident at `index` (a click in the list), unless unsaved edits hold the move once. */
export function goTo(index) {
  if (index === queue.index || !mayLeave()) { return Promise.resolve(false); }
  return show(index);
}

/* POST the action with the shown version; done(detail) on success. A 409 offers their version or a retry
 * (again(), or the same request on their version); a 400 shows its errors inside `scope`. */
function act(action, makeBody, scope, done, again) {
  const d = current.detail;
  if (!d) { return Promise.resolve(false); }
  clearErrors(scope);
  hideConflict();
  return call(actionUrl(d.id, action), Object.assign({ version: d.version }, makeBody())).then(function (res) {
    if (res.status === 409) { conflict(d, res.body, again || function () { return act(action, makeBody, scope, done); }); return false; }
    if (res.status === 400) { showErrors(scope, res.body.errors); return false; }
    if (!res.ok) { message(fill(I18N.refused, { status: res.status }), "error"); return false; }
    return done(res.body);
  });
}

function conflict(mine, body, retry) {
  const theirs = body.incident;
  const ours = theirs && theirs.id === mine.id;
  if (theirs) { remember(theirs); }
  showConflict(body, function () {
    run("load-theirs", function () {
      if (ours) { draw(theirs, false); updateItem(theirs); }
    });
  }, function () {
    run("retry", function () {
      if (ours) { current.detail.version = body.version; }
      return retry();
    });
  });
}

function reviewed(d, words) {
  remember(d);
  updateItem(d);
  message(fill(words, { id: d.id }), "ok");
}

function advance() {
  if (queue.index + 1 < queue.items.length) { return show(queue.index + 1); }
  draw(current.detail, true);
  message(I18N.end_of_queue, "info");
  return Promise.resolve(true);
}

function reviewerOnly() {
  if (CAN_REVIEW) { return false; }
  message(I18N.reviewers_only, "error");
  return true;
}

export function confirm() {
  if (reviewerOnly() || !mayLeave()) { return Promise.resolve(false); }
  return act("confirm", function () { return {}; }, null, function (d) { reviewed(d, I18N.confirmed); return advance(); });
}

export function reject() {
  if (reviewerOnly() || !mayLeave()) { return Promise.resolve(false); }
  const note = $("r-reject-note");
  return act("reject", function () { return { note: note.value.trim() }; }, $("review-head"), function (d) {
    note.value = "";
    reviewed(d, I18N.rejected);
    return advance();
  });
}

/* Save the fields the reviewer changed (only those: a field someone else changed meanwhile is not overwritten). */
export function save() {
  if (!Object.keys(changes()).length) { message(I18N.nothing_changed, "info"); return Promise.resolve(false); }
  return act("correct", changes, $("r-form"), function (d) {
    reviewed(d, I18N.corrected);
    draw(d, false);
    if (document.activeElement && $("r-form").contains(document.activeElement)) { document.activeElement.blur(); }
    return true;
  });
}

function mentionById(id) {
  return mentionOrder(current.detail).filter(function (m) { return m.id === id; })[0] || null;
}

/* Move the incident to a place: {place} or {lat, lon, name, kind, note}, with the mention it names, if any. */
export function relocate(payload, scope) {
  return act("place", function () { return payload; }, scope, function (d) {
    reviewed(d, I18N.corrected);
    closePointForm();
    draw(d, true);
    return true;
  });
}

/* Candidate n (1-5) of the mention (the selected one by default) becomes its place and the incident's. */
export function pick(n, mentionId) {
  const m = mentionId ? mentionById(mentionId) : selectedMention();
  if (!m) { message(I18N.no_mention, "info"); return Promise.resolve(false); }
  const c = m.candidates[n - 1];
  if (!c) { message(fill(I18N.no_candidate, { n: n }), "info"); return Promise.resolve(false); }
  return relocate({ place: c.id, mention: m.id }, $("r-mentions").parentNode);
}

/* A search result becomes the incident's place, and the selected own mention's. */
export function usePlace(placeId) {
  const m = selectedMention();
  const payload = { place: placeId };
  if (m && m.in_incident) { payload.mention = m.id; }
  return relocate(payload, $("r-search-form").parentNode);
}

/* Take an own mention out of the incident: "not this event", or with notPlace "not a place" (which teaches). */
export function dropMention(notPlace, mentionId) {
  const m = mentionId ? mentionById(mentionId) : selectedMention();
  if (!m) { message(I18N.no_mention, "info"); return Promise.resolve(false); }
  if (!m.in_incident) { message(I18N.own_only, "info"); return Promise.resolve(false); }
  return act("drop-mention", function () { return { mention: m.id, not_place: notPlace }; }, $("r-mentions").parentNode, function (d) {
    reviewed(d, I18N.corrected);
    draw(d, true);
    return true;
  });
}

/* The ticked mentions become a new incident, listed next; this one is shown again as it now is. */
export function split() {
  const ids = splitIds();
  const original = current.detail.id;
  return act("split", function () { return { mentions: ids }; }, $("r-mentions").parentNode, function (created) {
    remember(created);
    forget(original);
    insertAfterCurrent(created);
    message(fill(I18N.split_done, { id: created.id }), "ok");
    return loadDetail(original).then(function (res) {
      if (res.ok) { draw(res.body, false); updateItem(res.body); }
    });
  });
}

/* Merge the incident numbered in the merge box into this one (its current version is asked first). */
export function merge() {
  if (reviewerOnly()) { return Promise.resolve(false); }
  const scope = $("r-merge");
  const other = Number($("r-merge-id").value);
  clearErrors(scope);
  if (!other) { showErrors(scope, { other: [I18N.merge_which] }); return Promise.resolve(false); }
  forget(other);
  return loadDetail(other).then(function (res) {
    if (!res.ok) { showErrors(scope, { other: [res.body.detail || fill(I18N.refused, { status: res.status })] }); return false; }
    return act("merge", function () { return { other: other, other_version: res.body.version }; }, scope, function (d) {
      remember(d);
      forget(other);
      markMerged(other);
      updateItem(d);
      $("r-merge-id").value = "";
      message(fill(I18N.merged, { other: other }), "ok");
      draw(d, true);
      return true;
    }, merge);
  });
}

/* POST a reviewer's decision on the shown incident's event (its API answers an event), then show the incident
 * again as the server now has it; done(event) words the notice. A 400 shows its errors in the event section. */
function eventAct(action, body, done) {
  const d = current.detail;
  if (reviewerOnly() || !d || !d.event) { return Promise.resolve(false); }
  const scope = $("r-event");
  clearErrors(scope);
  return call(d.event.url + "/" + action, body).then(function (res) {
    if (res.status === 400) { showErrors(scope, res.body.errors); return false; }
    if (!res.ok) { message(res.body.detail || fill(I18N.refused, { status: res.status }), "error"); return false; }
    message(done(res.body), "ok");
    // Every report of both events has a new event in its review detail.
    d.event.reports.concat(res.body.reports || []).forEach(function (r) { forget(r.id); });
    forget(d.id);
    return loadDetail(d.id).then(function (again) {
      if (again.ok && current.detail && current.detail.id === d.id) { draw(again.body, true); }
      return again.ok;
    });
  });
}

/* Take another report out of the event into an event of its own. */
export function unlinkReport(report) {
  return eventAct("unlink", { report: report }, function (e) { return fill(I18N.unlinked, { id: report, event: e.id }); });
}

/* The event's location becomes this report's. */
export function leadReport(report) {
  return eventAct("lead", { report: report }, function (e) { return fill(I18N.lead_chosen, { id: e.id, report: report }); });
}

/* Merge the event numbered in the event section's box into the shown incident's event. */
export function mergeEvent() {
  if (reviewerOnly()) { return Promise.resolve(false); }
  const box = $("r-event-merge-id");
  const other = Number(box.value);
  if (!other) { showErrors($("r-event"), { other: [I18N.event_merge_which] }); return Promise.resolve(false); }
  return eventAct("merge", { other: other }, function (e) {
    box.value = "";
    return fill(I18N.events_merged, { id: e.id, other: other });
  });
}

export function stepMentions(step) {
  const id = stepMention(step);
  if (id === null) { return; }
  chooseMention(id);
}

export function chooseMention(id) {
  selectMention(id);
  drawIncident(current.detail, selectedMention(), true);
}

export function edit() { $("f-date").focus(); }

/* A click on the map: propose a new place there (name, kind, note), saved by the point form. */
export function openPointForm(latlng) {
  if (!current.detail) { return; }
  const form = $("r-point-form");
  form.hidden = false;
  form.dataset.lat = latlng.lat.toFixed(5);
  form.dataset.lon = latlng.lng.toFixed(5);
  $("r-point-at").textContent = fill(I18N.new_point, { lat: form.dataset.lat, lon: form.dataset.lon });
  clearErrors(form);
  showPending(latlng);
  form.elements.name.focus();
}

export function closePointForm() {
  const form = $("r-point-form");
  form.hidden = true;
  form.reset();
  clearPending();
}

export function savePoint() {
  const form = $("r-point-form");
  const m = selectedMention();
  const payload = {
    lat: Number(form.dataset.lat), lon: Number(form.dataset.lon), name: form.elements.name.value.trim(),
    kind: form.elements.kind.value, note: form.elements.note.value
  };
  if (m && m.in_incident) { payload.mention = m.id; }
  return relocate(payload, form);
}
