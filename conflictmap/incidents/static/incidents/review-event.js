/* The event of the incident shown: "Event #N — K reports", one line per report (source and language linking
 * to its incident page, date, how it was linked; this incident and the event's location marked) and, for
 * reviewers, Unlink and "Use this location" on the other reports. Every value from the server is written as
 * text; buttons carry data-action attributes (review.js handles their clicks). */
import { $, fill, fmtDated, I18N, text } from "./map-text.js";
import { CAN_REVIEW } from "./review-state.js";

function title(event) {
  const n = event.report_count || event.reports.length;
  return fill(n === 1 ? I18N.event_title_one : I18N.event_title, { id: event.id, n: n });
}

function linkedBy(r) {
  if (r.linked_by === "reviewer") { return I18N.by_reviewer; }
  if (r.link_score === null || r.link_score === undefined) { return I18N.by_machine; }
  return fill(I18N.by_machine_score, { score: Number(r.link_score).toFixed(2) });
}

function button(words, action, r) {
  return text("button", words, { type: "button", class: "button--link", "data-action": action, "data-report": String(r.id) });
}

/* The reviewer's buttons for a report: Unlink (not the incident shown), Use this location (not the lead). */
function actions(r, own, lead) {
  const box = text("span", "", { class: "event-report__actions" });
  if (!own) { box.appendChild(button(I18N.unlink, "event-unlink", r)); }
  if (!lead) { box.appendChild(button(I18N.use_location, "event-lead", r)); }
  return box;
}

function reportLine(event, r, shownId) {
  const li = document.createElement("li");
  const own = r.id === shownId, lead = r.id === event.lead_id;
  li.className = "event-report" + (own ? " is-current" : "") + (lead ? " is-lead" : "");
  li.dataset.report = String(r.id);
  const link = text("a", (r.source || r.title || "#" + r.id) + " (" + (r.lang || "?") + ")", { href: r.incident_url, dir: "auto", class: "event-report__link" });
  if (own) { link.setAttribute("aria-current", "page"); }
  li.appendChild(link);
  li.appendChild(text("span", fmtDated(r.date, r.date_precision), { class: "event-report__date" }));
  li.appendChild(text("span", linkedBy(r), { class: "event-report__by" }));
  if (own) { li.appendChild(text("span", I18N.this_incident, { class: "badge event-report__own" })); }
  if (lead) { li.appendChild(text("span", I18N.event_location, { class: "badge event-report__lead" })); }
  if (CAN_REVIEW) { li.appendChild(actions(r, own, lead)); }
  return li;
}

/* Draw the event section of review detail `d` (its event may be null: rejected, archived, not linked). */
export function renderEvent(d) {
  const list = $("r-event-reports");
  const merge = $("r-event-merge");
  list.textContent = "";
  $("r-event").dataset.event = d.event ? String(d.event.id) : "";
  $("r-event-title").textContent = d.event ? title(d.event) : I18N.event;
  $("r-event-none").hidden = !!d.event;
  if (merge) { merge.hidden = !d.event; }
  if (!d.event) { return; }
  d.event.reports.forEach(function (r) { list.appendChild(reportLine(d.event, r, d.id)); });
}
