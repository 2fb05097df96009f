/* The selected incident: its detail panel (with the excerpt's place mentions marked), its popup on the map
 * and its uncertainty shape; select() and closeDetail() keep `sel` in the URL. */
import { getJSON } from "./map-api.js";
import { layers, showUncertainty } from "./map-layers.js";
import { state, writeUrl } from "./map-state.js";
import { $, fmtDate, fmtDated, fullTypeLabel, I18N, inPageLanguage, LANG, notice, text } from "./map-text.js";
import { track } from "./map-track.js";
import { leafletMap, URLS } from "./map-view.js";
import { popup } from "./palette.js";

let detailToken = 0;  // the latest select(): a slow answer for an earlier choice is dropped

export function initDetail() {
  $("detail-close").addEventListener("click", function () { closeDetail(true); });
}

function markSelected(id) {
  document.querySelectorAll(".incident-item.is-selected").forEach(function (b) { b.classList.remove("is-selected"); });
  const item = id === null ? null : document.querySelector('.incident-item[data-id="' + Number(id) + '"]');
  if (item) { item.classList.add("is-selected"); }
}

/* Select incident `id`; opts: history (false: do not push a history entry), popup, latlng. */
export function select(id, opts) {
  opts = opts || {};
  state().selected = id;
  if (opts.history !== false) { writeUrl(true); }
  markSelected(id);
  const token = ++detailToken;
  $("detail").hidden = false;
  $("detail-body").textContent = I18N.loading;
  return track(getJSON(URLS.incidentUrl + encodeURIComponent(id)).then(function (d) {
    if (token !== detailToken) { return; }
    renderDetail(d);
    showUncertainty(null, d);
    if (opts.popup) { openPopup(d, opts.latlng); }
  }).catch(function (err) {
    if (err.status === 410 && token === detailToken) {
      renderArchived(err.body || {}, id);
      return;
    }
    if (err.status === 404) {
      notice(I18N.no_incident.replace("%(id)s", String(id)));
      closeDetail(false);
      return;
    }
    throw err;
  }));
}

function openPopup(d, latlng) {
  const map = leafletMap();
  latlng = latlng || L.latLng(d.lat, d.lon);
  if (map.getZoom() < 10 || !map.getBounds().contains(latlng)) {
    map.setView(latlng, Math.max(map.getZoom(), 11), { animate: false });
  }
  L.popup({ maxWidth: 320, autoPanPadding: [30, 30] }).setLatLng(latlng).setContent(popupContent(d)).openOn(map);
}


/* Every place the incident names, when it names more than one: [name in the page's language, its kind]. */
function placeList(d) {
  const places = d.places || [];
  if (places.length < 2) { return []; }
  return places.map(function (p) {
    return [inPageLanguage(p.name_en, p.name_ar)[0] || p.pcode, I18N.kinds[p.kind] || p.kind];
  });
}

function popupContent(d) {
  const places = placeList(d).map(function (p) { return p[0] + " (" + p[1] + ")"; });
  const box = popup([
    [I18N.f_title, d.title],
    [I18N.f_date, fmtDated(d.date, d.date_precision)],
    [I18N.f_place, inPageLanguage(d.label_en, d.label_ar)],
    [I18N.f_type, fullTypeLabel(d.event_type, d.sub_event_type)],
    [I18N.f_places, places.join(LANG === "ar" ? "، " : "; ")],
    [I18N.f_summary, d.summary]
  ], [[I18N.f_article, d.article_url]]);
  box.className = "incident-popup";
  return box;
}

function detailRow(dl, label, value, attrs) {
  if (value === null || value === undefined || value === "") { return; }
  dl.appendChild(text("dt", label));
  dl.appendChild(text("dd", String(value), attrs || { dir: "auto" }));
}

/* The label in the page's language, then the other language's on its own quieter line (each with its own
 * direction: a label in the other script wrapped inside this one's line would scramble). */
function labelRow(dl, d) {
  const pair = inPageLanguage(d.label_en, d.label_ar);
  if (!pair[0]) { return; }
  const dd = document.createElement("dd");
  dd.className = "detail__label";
  dd.appendChild(text("span", pair[0], { dir: "auto", lang: pair[0] === d.label_ar ? "ar" : "en" }));
  if (pair[1]) {
    // The line keeps the page's alignment; the inline span inside it keeps the label's own direction.
    const line = document.createElement("span");
    line.className = "detail__label-alt";
    line.appendChild(text("span", pair[1], { dir: "auto", lang: pair[1] === d.label_ar ? "ar" : "en" }));
    dd.appendChild(line);
  }
  dl.appendChild(text("dt", I18N.f_place));
  dl.appendChild(dd);
}

/* One line per place the incident names (only when it names several): the name and its kind. */
function placesRow(dl, d) {
  const places = placeList(d);
  if (!places.length) { return; }
  const list = document.createElement("ul");
  list.className = "detail__places";
  places.forEach(function (p) {
    const li = document.createElement("li");
    li.appendChild(text("span", p[0], { dir: "auto", class: "detail__place-name" }));
    li.appendChild(document.createTextNode(" "));
    li.appendChild(text("span", "(" + p[1] + ")", { class: "detail__place-kind" }));
    list.appendChild(li);
  });
  const dd = document.createElement("dd");
  dd.appendChild(list);
  dl.appendChild(text("dt", I18N.f_places));
  dl.appendChild(dd);
}

/* The excerpt as text nodes, with each place mention wrapped in <mark> (offsets relative to the excerpt). */
function excerptNode(d) {
  const p = document.createElement("p");
  p.className = "detail__excerpt";
  p.dir = d.lang === "ar" ? "rtl" : "auto";
  const excerpt = d.excerpt || "";
  let at = 0;
  (d.mentions || []).slice().sort(function (a, b) { return a.start - b.start; }).forEach(function (m) {
    if (m.start < at || m.end > excerpt.length || m.end <= m.start) { return; }
    if (d.excerpt_truncated_start && at === 0 && m.start > 0) { p.appendChild(document.createTextNode("…")); }
    p.appendChild(document.createTextNode(excerpt.slice(at, m.start)));
    const mark = text("mark", excerpt.slice(m.start, m.end), { class: "mention mention--" + (m.role || "context") });
    if (m.role) { mark.title = I18N.roles[m.role] || m.role; }
    p.appendChild(mark);
    at = m.end;
  });
  if (d.excerpt_truncated_start && at === 0) { p.appendChild(document.createTextNode("…")); }
  p.appendChild(document.createTextNode(excerpt.slice(at)));
  if (d.excerpt_truncated_end) { p.appendChild(document.createTextNode("…")); }
  return p;
}

function facts(d) {
  const dl = document.createElement("dl");
  dl.className = "facts detail__facts";
  detailRow(dl, I18N.f_source, d.source);
  detailRow(dl, I18N.f_published, d.published ? fmtDate(d.published.slice(0, 10)) : "");
  detailRow(dl, I18N.f_date, fmtDated(d.date, d.date_precision));
  labelRow(dl, d);
  placesRow(dl, d);
  detailRow(dl, I18N.f_type, fullTypeLabel(d.event_type, d.sub_event_type));
  detailRow(dl, I18N.f_actors, (d.actors || []).join(LANG === "ar" ? "، " : ", "));
  detailRow(dl, I18N.f_fatalities, d.fatalities);
  detailRow(dl, I18N.f_precision, d.geo_precision + " — " + (I18N.precisions[d.geo_precision] || ""));
  detailRow(dl, I18N.f_confidence, Math.round((d.confidence || 0) * 100) + "%");
  if (d.synthetic) { detailRow(dl, I18N.f_synthetic, I18N.yes); }
  return dl;
}

function links(d) {
  const p = document.createElement("p");
  p.className = "detail__links";
  if (d.article_url && d.article_url.charAt(0) === "/") {
    p.appendChild(text("a", I18N.open_article, { href: d.article_url }));
  }
  if (d.url && /^https?:\/\//i.test(d.url)) {
    p.appendChild(document.createTextNode(" · "));
    p.appendChild(text("a", I18N.open_source, { href: d.url, rel: "noopener noreferrer nofollow", target: "_blank" }));
  }
  return p;
}

/* The event's sources, "3 reports: SY24 (ar), SOHR (en), …", each a link to that report's incident page. */
function reportsLine(d) {
  const reports = (d.event && d.event.reports) || [];
  if (!reports.length) { return null; }
  const p = document.createElement("p");
  p.className = "detail__reports";
  p.dataset.event = String(d.event.id);
  const n = d.event.report_count || reports.length;
  p.appendChild(text("strong", n === 1 ? I18N.reports_one : I18N.reports_many.replace("%(n)s", String(n))));
  reports.forEach(function (r, k) {
    p.appendChild(document.createTextNode(k ? (LANG === "ar" ? "، " : ", ") : " "));
    const name = (r.source || r.title || "#" + r.id) + " (" + (r.lang || "?") + ")";
    const link = text("a", name, { href: r.incident_url, dir: "auto", class: "detail__report" });
    if (r.id === d.id) { link.setAttribute("aria-current", "true"); }
    p.appendChild(link);
  });
  return p;
}

function renderDetail(d) {
  const body = $("detail-body");
  body.textContent = "";
  body.appendChild(text("h3", d.title || I18N.untitled, { class: "detail__title", dir: "auto" }));
  const reports = reportsLine(d);
  if (reports) { body.appendChild(reports); }
  body.appendChild(facts(d));
  if (d.summary) { body.appendChild(text("p", d.summary, { class: "detail__summary", dir: "auto" })); }
  if (d.excerpt) { body.appendChild(excerptNode(d)); }
  body.appendChild(links(d));
  $("detail").dataset.id = String(d.id);
}

/* An archived incident (410): "replaced by #N" with a link that selects N, or why it was archived. */
function renderArchived(d, id) {
  const body = $("detail-body");
  body.textContent = "";
  layers.uncertainty.clearLayers();
  const p = document.createElement("p");
  p.className = "detail__archived";
  p.setAttribute("role", "status");
  if (d.moved_to) {
    const parts = I18N.replaced_by.split("%(id)s");
    const link = text("a", "#" + d.moved_to, { href: "?sel=" + encodeURIComponent(d.moved_to), class: "detail__moved-to" });
    link.addEventListener("click", function (ev) { ev.preventDefault(); select(d.moved_to); });
    p.appendChild(document.createTextNode(parts[0]));
    p.appendChild(link);
    p.appendChild(document.createTextNode(parts.slice(1).join("")));
  } else {
    p.textContent = I18N.archived.replace("%(reason)s", d.archive_reason || "");
  }
  body.appendChild(p);
  $("detail").dataset.id = String(d.id || id);
}

export function closeDetail(push) {
  state().selected = null;
  $("detail").hidden = true;
  layers.uncertainty.clearLayers();
  leafletMap().closePopup();
  markSelected(null);
  if (push) { writeUrl(true); }
}
