/* The queue's list beside the incident: one row per incident (place, date, type, confidence, its review state
 * once acted on), the position "3 / 57", and the paging of the queue API. */
import { $, fill, fmtDate, fmtNumber, I18N, inPageLanguage, text, typeLabel } from "./map-text.js";
import { call } from "./review-api.js";
import { queue, URLS } from "./review-state.js";

// Ask for the next page of ids when the reviewer is this close to the end of those loaded.
const REFILL = 50;

function row(item, index) {
  const li = document.createElement("li");
  const b = text("button", "", { type: "button", class: "queue-item queue-item--" + item.review, "data-action": "goto", "data-index": String(index), "data-id": String(item.id) });
  const place = inPageLanguage(item.label_en, item.label_ar)[0] || "#" + item.id;
  b.appendChild(text("span", place, { class: "queue-item__place", dir: "auto" }));
  const meta = [fmtDate(item.date), typeLabel(item.event_type), Math.round((item.confidence || 0) * 100) + "%"].join(" · ");
  b.appendChild(text("span", meta, { class: "queue-item__meta" }));
  if (item.review !== "machine") {
    const state = item.merged ? I18N.merged_state : I18N.states[item.review] || item.review;
    b.appendChild(text("span", state, { class: "queue-item__state" }));
  }
  li.appendChild(b);
  return li;
}

/* Draw the list and the position. */
export function renderQueue() {
  const ol = $("queue-list");
  ol.textContent = "";
  queue.items.forEach(function (item, i) { ol.appendChild(row(item, i)); });
  renderPosition();
}

export function renderPosition() {
  const total = Math.max(queue.count, queue.items.length);
  $("queue-position").textContent = queue.index < 0 ? fmtNumber(total) : fill(I18N.position, { n: fmtNumber(queue.index + 1), count: fmtNumber(total) });
  $("queue-count").textContent = I18N.in_queue;
  document.querySelectorAll("#queue-list .queue-item").forEach(function (b) {
    const on = Number(b.dataset.index) === queue.index;
    b.classList.toggle("is-current", on);
    if (on) { b.setAttribute("aria-current", "true"); keepInView(b); } else { b.removeAttribute("aria-current"); }
  });
}

/* Scroll the queue's own column (not the page) so that its current row shows. */
function keepInView(node) {
  const column = node.closest(".review-side");
  const box = column.getBoundingClientRect(), row = node.getBoundingClientRect();
  if (row.top < box.top) { column.scrollTop -= box.top - row.top + 8; }
  else if (row.bottom > box.bottom) { column.scrollTop += row.bottom - box.bottom + 8; }
}

/* The queue API's URL for the page's own filters (the query string is the API's parameters) at `offset`. */
function queueUrl(offset) {
  const params = new URLSearchParams(location.search);
  params.delete("offset");
  if (offset) { params.set("offset", String(offset)); }
  const qs = params.toString();
  return URLS.queueUrl + (qs ? "?" + qs : "");
}

/* Load the first page of the queue; resolves to the API's answer. */
export function loadQueue() {
  return call(queueUrl(0)).then(function (res) {
    if (res.ok) {
      queue.items = res.body.items;
      queue.count = res.body.count;
      renderQueue();
    }
    return res;
  });
}

/* Near the end of what is loaded, fetch the next page (ids already listed are skipped). */
export function refill() {
  const left = queue.items.length - queue.index;
  if (queue.loading || left > REFILL || queue.items.length >= queue.count) { return; }
  queue.loading = call(queueUrl(queue.items.length - queue.changed)).then(function (res) {
    if (!res.ok) { return; }
    const have = new Set(queue.items.map(function (i) { return i.id; }));
    res.body.items.forEach(function (item) { if (!have.has(item.id)) { queue.items.push(item); } });
    queue.count = res.body.count + queue.changed;
    renderQueue();
  }).finally(function () { queue.loading = null; });
}

/* Record that incident `d` changed (its state, place and fields) in the list. */
export function updateItem(d) {
  const item = queue.items.filter(function (i) { return i.id === d.id; })[0];
  if (!item) { return; }
  if (item.review === "machine" && d.review !== "machine") { queue.changed += 1; }
  Object.assign(item, { review: d.review, label_en: d.label_en, label_ar: d.label_ar, date: d.date, event_type: d.event_type });
  renderQueue();
}

/* Record that incident `id` was merged into another (archived: it leaves the queue). */
export function markMerged(id) {
  const item = queue.items.filter(function (i) { return i.id === id; })[0];
  if (!item) { return; }
  if (item.review === "machine") { queue.changed += 1; }
  item.merged = true;
  item.review = "merged";
  renderQueue();
}

/* Put a new incident (a split's) right after the current one. */
export function insertAfterCurrent(d) {
  queue.items.splice(queue.index + 1, 0, {
    id: d.id, date: d.date, label_en: d.label_en, label_ar: d.label_ar, event_type: d.event_type,
    confidence: d.confidence, review: d.review
  });
  queue.count += 1;
  renderQueue();
}
