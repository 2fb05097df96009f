/* The queue's keyboard: one key per action (see the help dialog in review.html). Keys are ignored while the
 * reviewer types in a field, where Escape leaves the field, and while a modifier is held. */
import { $ } from "./map-text.js";

const TEXT_INPUTS = /^(text|search|number|date|email|url|tel|password)$/;

function typing(node) {
  if (!node || !node.tagName) { return false; }
  if (node.isContentEditable || node.tagName === "TEXTAREA" || node.tagName === "SELECT") { return true; }
  return node.tagName === "INPUT" && TEXT_INPUTS.test(node.type || "text");
}

/* handlers: {key (as KeyboardEvent.key): function}. */
export function bindKeys(handlers) {
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing) { return; }
    const help = $("review-help");
    if (e.key === "Escape") {
      if (typing(e.target)) { e.target.blur(); e.preventDefault(); }
      return;  // an open dialog closes itself on Escape
    }
    if (typing(e.target)) { return; }
    if (help.open) {
      if (e.key === "?") { help.close(); e.preventDefault(); }
      return;
    }
    const handler = handlers[e.key];
    if (!handler) { return; }
    e.preventDefault();
    handler(e);
  });
}

export function toggleHelp() {
  const help = $("review-help");
  if (help.open) { help.close(); } else { help.showModal(); }
}
