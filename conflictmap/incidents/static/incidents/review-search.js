/* The gazetteer search beside the map: results with their kind and admin chain, each with a button that moves
 * the incident to that place (review.js handles data-action="use-place"). */
import { $, I18N, inPageLanguage, text } from "./map-text.js";
import { call } from "./review-api.js";
import { URLS } from "./review-state.js";
import { clearErrors, showErrors } from "./review-messages.js";

const SHOWN = 8;

function result(r) {
  const li = document.createElement("li");
  li.className = "search-result";
  const names = inPageLanguage(r.name_en, r.name_ar);
  const head = text("div", "", { class: "candidate__names" });
  head.appendChild(text("strong", names[0] || r.pcode, { dir: "auto" }));
  if (names[1]) { head.appendChild(text("span", names[1], { dir: "auto", class: "candidate__alt" })); }
  head.appendChild(text("span", I18N.kinds[r.kind] || r.kind_label || r.kind, { class: "badge badge--" + r.kind }));
  li.appendChild(head);
  const chain = document.createElement("ol");
  chain.className = "chain";
  (r.chain || []).forEach(function (u) { chain.appendChild(text("li", inPageLanguage(u.name_en, u.name_ar)[0], { dir: "auto" })); });
  li.appendChild(chain);
  li.appendChild(text("button", I18N.use_place, { type: "button", class: "button", "data-action": "use-place", "data-place": String(r.id) }));
  return li;
}

/* Search the gazetteer for the box's text and list what it finds. */
export function search() {
  const q = $("r-search").value.trim();
  const list = $("r-search-results");
  const scope = $("r-search-form").parentNode;
  clearErrors(scope);
  if (!q) { list.textContent = ""; return Promise.resolve(); }
  return call(URLS.searchUrl + "?q=" + encodeURIComponent(q)).then(function (res) {
    list.textContent = "";
    if (!res.ok) { showErrors(scope, { q: [res.body.error || I18N.load_failed] }); return; }
    const rows = (res.body.results || []).slice(0, SHOWN);
    rows.forEach(function (r) { list.appendChild(result(r)); });
    if (!rows.length) { list.appendChild(text("li", I18N.search_none, { class: "muted" })); }
  });
}
