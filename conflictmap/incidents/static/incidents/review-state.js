/* The queue's state: its incidents (id and list fields), the one shown, the selected mention, and the review
 * details fetched or prefetched, by id. */
import { call } from "./review-api.js";

export const root = document.getElementById("review");
export const URLS = root ? root.dataset : {};
export const CAN_REVIEW = !!root && root.dataset.canReview === "1";
// A prefetched detail older than this is fetched again when shown (someone may have changed it meanwhile).
const FRESH_MS = 60000;

/* items: [{id, date, label_en, label_ar, event_type, confidence, review}] in queue order; count: the server's
 * total; changed: how many of the loaded items this page moved out of the filter (for paging). */
export const queue = { items: [], count: 0, index: -1, changed: 0, loading: null };
/* detail: the incident shown as the server last answered it; mention: the selected mention's id. */
export const current = { detail: null, mention: null };

const details = new Map();  // id -> {at, promise of {status, ok, body}}

export function detailUrl(id) { return URLS.incidentUrl + encodeURIComponent(id) + "/review"; }

export function actionUrl(id, action) { return URLS.incidentUrl + encodeURIComponent(id) + "/" + action; }

/* The review detail of incident `id`: the prefetched one while fresh, else a new request. */
export function loadDetail(id) {
  const hit = details.get(id);
  if (hit && performance.now() - hit.at < FRESH_MS) { return hit.promise; }
  const promise = call(detailUrl(id)).then(function (res) {
    if (!res.ok) { details.delete(id); }
    return res;
  }, function (err) { details.delete(id); throw err; });
  details.set(id, { at: performance.now(), promise: promise });
  return promise;
}

/* Keep a detail the server just answered (after an action) as the latest. */
export function remember(detail) {
  details.set(detail.id, { at: performance.now(), promise: Promise.resolve({ status: 200, ok: true, body: detail }) });
}

export function forget(id) { details.delete(id); }

export function currentItem() { return queue.items[queue.index] || null; }

export function indexOf(id) {
  for (let i = 0; i < queue.items.length; i++) { if (queue.items[i].id === id) { return i; } }
  return -1;
}
