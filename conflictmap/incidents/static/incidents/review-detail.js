/* One incident as the queue shows it: the header, the excerpt with its mentions marked (this incident's own
 * ones stronger), each mention with the candidates the pipeline weighed, the correction form and the article's
 * other incidents (for a merge) and its event (review-event.js). Every value from the server is written as text.
 * Buttons carry data-action attributes; review.js handles their clicks. */
import { $, fill, fmtDate, fullTypeLabel, I18N, inPageLanguage, text } from "./map-text.js";
import { renderEvent } from "./review-event.js";
import { current } from "./review-state.js";

const FIELDS = ["date", "date_precision", "geo_precision", "event_type", "sub_event_type", "actors", "fatalities", "summary"];
let baseline = null;  // the form's values as the server last answered them

/* The mentions in the order m/M walks them: this incident's own first, then the article's others. */
export function mentionOrder(d) {
  const all = (d && d.mentions) || [];
  return all.filter(function (m) { return m.in_incident; }).concat(all.filter(function (m) { return !m.in_incident; }));
}

export function selectedMention() {
  const d = current.detail;
  return mentionOrder(d).filter(function (m) { return m.id === current.mention; })[0] || null;
}

/* The mention to select first: the own one at the incident's point, else the first own one, else the first. */
function defaultMention(d) {
  const order = mentionOrder(d);
  const atPoint = order.filter(function (m) { return m.in_incident && m.place_id === d.place_ids[0]; })[0];
  return (atPoint || order[0] || { id: null }).id;
}

function placeName(p) { return inPageLanguage(p.name_en, p.name_ar); }

function header(d) {
  $("r-title").textContent = d.title || I18N.untitled;
  const meta = $("r-meta");
  meta.textContent = "";
  meta.appendChild(text("span", "#" + d.id, { class: "review-head__id" }));
  meta.appendChild(text("span", I18N.states[d.review] || d.review, { class: "badge review-state review-state--" + d.review }));
  meta.appendChild(text("span", fill(I18N.confidence, { pct: Math.round((d.confidence || 0) * 100) + "%" })));
  [d.source, d.published ? fmtDate(d.published.slice(0, 10)) : ""].forEach(function (v) {
    if (v) { meta.appendChild(text("span", v, { dir: "auto" })); }
  });
  if (d.reviewed_by) { meta.appendChild(text("span", fill(I18N.reviewed_by, { user: d.reviewed_by }), { dir: "auto" })); }
  const links = $("r-links");
  links.textContent = "";
  [[I18N.open_article, d.article_url], [I18N.open_incident, d.page_url]].forEach(function (l) {
    if (l[1] && l[1].charAt(0) === "/") { links.appendChild(text("a", l[0], { href: l[1] })); }
  });
  if (d.url && /^https?:\/\//i.test(d.url)) {
    links.appendChild(text("a", I18N.open_source, { href: d.url, rel: "noopener noreferrer nofollow", target: "_blank" }));
  }
}

function mentionClass(m) {
  return "mention mention--" + (m.role || "context") + (m.in_incident ? " mention--own" : "") +
    (m.decision === "not_place" ? " mention--not-place" : "") + (m.id === current.mention ? " is-selected" : "");
}

/* The excerpt as text nodes with each mention inside it wrapped in a clickable <mark>. */
function excerpt(d) {
  const p = $("r-excerpt");
  p.textContent = "";
  p.dir = d.lang === "ar" ? "rtl" : "auto";
  p.lang = d.lang || "";
  const body = d.excerpt || "";
  const offset = d.excerpt_offset || 0;
  let at = 0;
  if (offset > 0) { p.appendChild(document.createTextNode("… ")); }
  d.mentions.slice().sort(function (a, b) { return a.start - b.start; }).forEach(function (m) {
    const start = m.start - offset, end = m.end - offset;
    if (start < at || end > body.length || end <= start) { return; }
    p.appendChild(document.createTextNode(body.slice(at, start)));
    const mark = text("mark", body.slice(start, end), { class: mentionClass(m), "data-mention": String(m.id), "data-action": "select-mention" });
    mark.title = I18N.roles[m.role] || m.role;
    p.appendChild(mark);
    at = end;
  });
  p.appendChild(document.createTextNode(body.slice(at)));
}

function chain(c) {
  const ol = document.createElement("ol");
  ol.className = "chain";
  (c.admin_chain || []).forEach(function (u) { ol.appendChild(text("li", placeName(u)[0], { dir: "auto" })); });
  return ol;
}

function candidate(m, c, n) {
  const li = document.createElement("li");
  li.className = "candidate" + (c.chosen ? " is-chosen" : "");
  const pick = text("button", "", { type: "button", class: "button candidate__pick", "data-action": "pick", "data-mention": String(m.id), "data-n": String(n) });
  pick.appendChild(text("kbd", String(n)));
  pick.appendChild(document.createTextNode(" " + I18N.pick));
  li.appendChild(pick);
  const body = text("div", "", { class: "candidate__body" });
  const names = placeName(c);
  const head = text("div", "", { class: "candidate__names" });
  head.appendChild(text("strong", names[0] || c.pcode, { dir: "auto" }));
  if (names[1]) { head.appendChild(text("span", names[1], { dir: "auto", class: "candidate__alt" })); }
  head.appendChild(text("span", I18N.kinds[c.kind] || c.kind, { class: "badge badge--" + c.kind }));
  if (c.chosen) { head.appendChild(text("span", I18N.chosen, { class: "candidate__chosen" })); }
  body.appendChild(head);
  const meta = text("div", "", { class: "candidate__meta" });
  meta.appendChild(chain(c));
  if (c.distance_km !== null && c.distance_km !== undefined && !c.chosen) {
    meta.appendChild(text("span", fill(I18N.km, { km: c.distance_km })));
  }
  if (c.score !== null && c.score !== undefined) { meta.appendChild(text("span", fill(I18N.score, { score: Number(c.score).toFixed(2) }))); }
  body.appendChild(meta);
  li.appendChild(body);
  return li;
}

function mentionCard(m, splitTicked) {
  const li = document.createElement("li");
  li.className = "mention-card" + (m.in_incident ? " is-own" : "") + (m.id === current.mention ? " is-selected" : "");
  li.dataset.mention = String(m.id);
  const head = text("div", "", { class: "mention-card__head" });
  if (m.in_incident) {
    const label = text("label", "", { class: "mention-card__split", title: I18N.for_split });
    const box = text("input", "", { type: "checkbox", "data-split": String(m.id), "aria-label": I18N.for_split + ": " + m.text });
    box.checked = splitTicked.has(m.id);
    label.appendChild(box);
    head.appendChild(label);
  }
  head.appendChild(text("button", m.text, { type: "button", class: "mention-card__text", dir: "auto", "data-action": "select-mention", "data-mention": String(m.id) }));
  head.appendChild(text("span", I18N.roles[m.role] || m.role, { class: "mention-card__role" }));
  head.appendChild(text("span", m.in_incident ? I18N.this_incident : I18N.other_incident, { class: "mention-card__where" }));
  if (m.decision) { head.appendChild(text("span", I18N.decisions[m.decision] || m.decision, { class: "badge mention-card__decision" })); }
  if (!m.place_id) { head.appendChild(text("span", I18N.unresolved, { class: "badge" })); }
  if (m.in_incident) {
    head.appendChild(text("button", I18N.not_place, { type: "button", class: "button--link", "data-action": "not-place", "data-mention": String(m.id) }));
    head.appendChild(text("button", I18N.not_event, { type: "button", class: "button--link", "data-action": "not-event", "data-mention": String(m.id) }));
  }
  li.appendChild(head);
  const list = text("ol", "", { class: "candidates" });
  m.candidates.forEach(function (c, i) { list.appendChild(candidate(m, c, i + 1)); });
  if (!m.candidates.length) { list.appendChild(text("li", I18N.no_candidates, { class: "muted" })); }
  li.appendChild(list);
  return li;
}

function splitTicks() {
  const ticked = new Set();
  document.querySelectorAll("#r-mentions input[data-split]:checked").forEach(function (b) { ticked.add(Number(b.dataset.split)); });
  return ticked;
}

function mentions(d, keepTicks) {
  const ticked = keepTicks ? splitTicks() : new Set();
  const ol = $("r-mentions");
  ol.textContent = "";
  mentionOrder(d).forEach(function (m) { ol.appendChild(mentionCard(m, ticked)); });
  syncSplit();
}

/* The split button is live while at least one mention is ticked. */
export function syncSplit() { $("r-split").disabled = splitTicks().size === 0; }

export function splitIds() { return Array.from(splitTicks()); }

function siblings(d) {
  const box = $("r-siblings");
  if (!box) { return; }
  box.textContent = "";
  (d.siblings || []).forEach(function (s) {
    const label = "#" + s.id + " · " + (inPageLanguage(s.label_en, s.label_ar)[0] || "") + " · " + fmtDate(s.date) +
      " · " + fullTypeLabel(s.event_type, "");
    box.appendChild(text("button", label, { type: "button", class: "button--link", dir: "auto", "data-action": "merge-pick", "data-id": String(s.id) }));
  });
}

/* The form's field values as the server states them (the shape formValues() reads back). */
function serverValues(d) {
  const sides = d.actor_sides || {};
  return {
    date: d.date || "",
    date_precision: d.date_precision || "day",
    geo_precision: String(d.geo_precision),
    event_type: d.event_type || "",
    sub_event_type: d.sub_event_type || "",
    actors: (d.actors || []).map(function (name) { return { name: name, side: sides[name] || null }; }),
    fatalities: d.fatalities === null || d.fatalities === undefined ? "" : String(d.fatalities),
    summary: d.summary || ""
  };
}

const FORM_IDS = {
  date: "f-date", date_precision: "f-date-precision", geo_precision: "f-geo-precision", event_type: "f-event-type",
  sub_event_type: "f-sub-event-type", fatalities: "f-fatalities", summary: "f-summary"
};

function actorValues() {
  return Array.from(document.querySelectorAll("#f-actors li")).map(function (li) {
    const side = li.querySelector("select").value;
    return { name: li.querySelector("input").value.trim(), side: side ? Number(side) : null };
  }).filter(function (a) { return a.name; });
}

function formValues() {
  const out = {};
  FIELDS.forEach(function (name) { out[name] = name === "actors" ? actorValues() : $(FORM_IDS[name]).value; });
  return out;
}

/* A row of the actors list: name, side (1 acts, 2 is acted on) and a remove button. */
export function actorRow(actor) {
  const li = document.createElement("li");
  li.appendChild(text("input", "", { type: "text", maxlength: "120", dir: "auto", "aria-label": I18N.actor_name, value: actor.name || "" }));
  const side = text("select", "", { "aria-label": I18N.side });
  ["", "1", "2"].forEach(function (v) { side.appendChild(text("option", I18N.sides[v], { value: v })); });
  side.value = actor.side ? String(actor.side) : "";
  li.appendChild(side);
  li.appendChild(text("button", "×", { type: "button", class: "button--link", "data-action": "remove-actor", "aria-label": I18N.remove, title: I18N.remove }));
  return li;
}

function setField(name, value) {
  if (name === "actors") {
    const ul = $("f-actors");
    ul.textContent = "";
    value.forEach(function (a) { ul.appendChild(actorRow(a)); });
    return;
  }
  const field = $(FORM_IDS[name]);
  if (field.tagName === "SELECT" && !Array.from(field.options).some(function (o) { return o.value === value; })) {
    // A value the pickers do not list (an older or custom type): shown as it is, kept unless changed.
    const label = name === "event_type" ? fullTypeLabel(value, "") : value;
    field.appendChild(text("option", label, { value: value }));
  }
  field.value = value;
}

function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }

/* Fill the form from `d`; with keepEdits, a field the reviewer changed and has not saved keeps their value. */
function fillForm(d, keepEdits) {
  const fresh = serverValues(d);
  const now = baseline ? formValues() : null;
  FIELDS.forEach(function (name) {
    if (keepEdits && now && !same(now[name], baseline[name])) { return; }
    setField(name, fresh[name]);
  });
  baseline = fresh;
}

/* Whether the form holds changes not saved yet. */
export function dirty() { return !!baseline && Object.keys(changes()).length > 0; }

/* The fields changed since the server's version, as the correction API takes them. */
export function changes() {
  const now = formValues();
  const out = {};
  FIELDS.forEach(function (name) {
    if (same(now[name], baseline[name])) { return; }
    const v = now[name];
    if (name === "date") { out.date = v || null; }
    else if (name === "fatalities") { out.fatalities = v === "" ? null : Number(v); }
    else { out[name] = v; }
  });
  return out;
}

/* Show incident `d`. same: it is the incident already shown, answered again after an action (the reviewer's
 * unsaved edits and ticks stay); otherwise everything is drawn afresh. */
export function renderDetail(d, same) {
  const keep = !!same && current.detail && current.detail.id === d.id;
  current.detail = d;
  const order = mentionOrder(d);
  if (!keep || !order.some(function (m) { return m.id === current.mention; })) { current.mention = defaultMention(d); }
  header(d);
  excerpt(d);
  mentions(d, keep);
  fillForm(d, keep);
  siblings(d);
  renderEvent(d);
  document.body.dataset.shown = String(d.id);
}

/* Select mention `id`: marked in the excerpt and the list, its candidates on the map (by the caller). */
export function selectMention(id) {
  current.mention = id;
  document.querySelectorAll("#r-excerpt mark, #r-mentions .mention-card").forEach(function (node) {
    node.classList.toggle("is-selected", Number(node.dataset.mention) === id);
  });
  const card = document.querySelector('#r-mentions .mention-card[data-mention="' + Number(id) + '"]');
  if (card) { card.scrollIntoView({ block: "nearest" }); }
}

/* The mention `step` places after the selected one (-1: before), wrapping round. */
export function stepMention(step) {
  const order = mentionOrder(current.detail);
  if (!order.length) { return null; }
  let i = order.findIndex(function (m) { return m.id === current.mention; });
  i = (i + step + order.length) % order.length;
  return order[i].id;
}
