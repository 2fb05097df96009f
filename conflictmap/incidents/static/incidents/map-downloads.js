/* The Download menu: each link exports exactly the current filters (events or reports, as the Count select says). */
import { apiQuery } from "./map-query.js";
import { state } from "./map-state.js";

export function syncDownloads() {
  document.querySelectorAll("#map-downloads a[data-base]").forEach(function (link) {
    const query = apiQuery(state().filters);
    if (link.dataset.hxl) { query.set("hxl", "1"); }
    const text = query.toString();
    link.href = link.dataset.base + (text ? "?" + text : "");
  });
}
