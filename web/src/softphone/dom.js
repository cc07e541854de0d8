// The few DOM helpers every part of the softphone uses. The page's markup is fixed (index.html);
// scripts only fill in text, toggle `hidden` and build the history entries and video tiles.

/** The page's screens; exactly one is shown at a time. */
const SCREENS = ["signin", "home", "outgoing", "incoming", "incall"];

export const $ = (id) => document.getElementById(id);

export const setText = (id, text) => { $(id).textContent = text; };

export function showScreen(name) {
  for (const id of SCREENS) $(id).hidden = id !== name;
  document.body.dataset.screen = name; // lets the CSS darken the page behind call screens
}

/** A new element; textContent, never innerHTML, so user ids cannot inject markup. */
export function el(tag, className, text) {
  const element = document.createElement(tag);
  element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}
