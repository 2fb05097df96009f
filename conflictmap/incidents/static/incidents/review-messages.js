/* What the page tells the reviewer: short notices (saved, refused, hints), the errors a 400 names next to their
 * fields, and the conflict panel of a 409 with each change the other person made. All of it as text. */
import { $, fmtDate, I18N, text, typeLabel } from "./map-text.js";

const KEEP = 4;  // notices shown at once; older ones go

/* A notice above the incident; kind "ok", "info" or "error". */
export function message(words, kind) {
  const box = $("review-messages");
  const p = text("p", words, { class: "notice review-notice notice--" + (kind === "error" ? "error" : "info"), dir: "auto" });
  if (kind === "error") { p.setAttribute("role", "alert"); }
  const close = text("button", "×", { type: "button", class: "review-notice__close", "aria-label": I18N.dismiss });
  close.addEventListener("click", function () { p.remove(); });
  p.appendChild(close);
  box.prepend(p);
  while (box.children.length > KEEP) { box.lastChild.remove(); }
}

export function clearMessages() { $("review-messages").textContent = ""; }

/* Clear the field errors inside `scope` (an element), or everywhere. */
export function clearErrors(scope) {
  (scope || document).querySelectorAll("[data-error-for]").forEach(function (p) { p.textContent = ""; });
  (scope || document).querySelectorAll("[aria-invalid]").forEach(function (f) { f.removeAttribute("aria-invalid"); });
}

/* Put each {field: [messages]} next to its field inside `scope`; what has no place there becomes a notice. */
export function showErrors(scope, errors) {
  Object.keys(errors || {}).forEach(function (name) {
    const words = (errors[name] || []).join(" ");
    const slot = scope && scope.querySelector('[data-error-for="' + CSS.escape(name) + '"]');
    if (!slot) { message(name === "__all__" ? words : name + ": " + words, "error"); return; }
    slot.textContent = words;
    const field = scope.querySelector('[name="' + CSS.escape(name) + '"]');
    if (field) { field.setAttribute("aria-invalid", "true"); }
  });
}

/* A message with each %(name)s placeholder filled by its value in a <bdi> of its own (a name or a date in
 * the other script keeps its order inside the page's line). */
function isolated(message, values) {
  const line = document.createElement("p");
  String(message).split(/(%\(\w+\)s)/).forEach(function (part) {
    const m = part.match(/^%\((\w+)\)s$/);
    if (m && values[m[1]] !== undefined) { line.appendChild(text("bdi", values[m[1]])); }
    else if (part) { line.appendChild(document.createTextNode(part)); }
  });
  return line;
}

/* A value of a change as the page says it: review states and event types by their labels. */
function shown(field, value) {
  if (value === null || value === undefined || value === "") { return I18N.empty; }
  if (field === "review") { return I18N.states[value] || value; }
  if (field === "event_type") { return typeLabel(value); }
  if (Array.isArray(value)) { return value.join(", "); }
  if (typeof value === "object") { return JSON.stringify(value); }
  return String(value);
}

/* Why a change was made: "corrected", "rejected: a note", "pipeline"… in the page's language where known. */
function reason(words) {
  const head = (words || "").split(":")[0];
  const label = I18N.states[head] || I18N.reasons[head];
  return label ? label + words.slice(head.length) : words || "";
}

function fieldLine(f) {
  const li = document.createElement("li");
  li.appendChild(text("strong", (I18N.fields[f.field] || f.field) + ": "));
  li.appendChild(text("span", shown(f.field, f.before), { dir: "auto", class: "review-conflict__before" }));
  li.appendChild(document.createTextNode(" → "));
  li.appendChild(text("span", shown(f.field, f.after), { dir: "auto", class: "review-conflict__after" }));
  return li;
}

function changeItem(change) {
  const li = document.createElement("li");
  const at = change.at ? fmtDate(change.at.slice(0, 10)) + " " + change.at.slice(11, 16) : "";
  li.appendChild(isolated(I18N.change_by, { by: change.by || I18N.pipeline, at: at, reason: reason(change.reason) }));
  const fields = document.createElement("ul");
  (change.fields || []).forEach(function (f) { fields.appendChild(fieldLine(f)); });
  if (!fields.children.length) { fields.appendChild(text("li", I18N.no_fields)); }
  li.appendChild(fields);
  return li;
}

/* Show a 409's changes; onLoad() takes their version, onRetry() applies the same action on top of it. */
export function showConflict(body, onLoad, onRetry) {
  const panel = $("review-conflict");
  const list = $("review-conflict-changes");
  list.textContent = "";
  (body.changes || []).forEach(function (c) { list.appendChild(changeItem(c)); });
  panel.hidden = false;
  $("conflict-load").onclick = function () { hideConflict(); onLoad(); };
  $("conflict-retry").onclick = function () { hideConflict(); onRetry(); };
  panel.scrollIntoView({ block: "nearest" });
}

export function hideConflict() { $("review-conflict").hidden = true; }
