// The two notices over the screens: the error banner (stays until dismissed or replaced) and the
// "call ended" toast (goes by itself). Plus withBusy, the usual way a button runs an SDK action
// and reports its failure in the banner.
import { $, setText } from "./dom.js";
import { describeError } from "./words.js";

const ENDED_TOAST_MS = 4000;
let endedTimer = 0;

export function showError(error, media = false) {
  console.warn("dialtone:", error);
  showErrorText(describeError(error, media));
}

export function showErrorText(text) {
  setText("error-text", text);
  $("error-banner").hidden = false;
}

export const hideError = () => { $("error-banner").hidden = true; };

export function showEnded(text) {
  setText("ended-reason", text);
  $("ended").hidden = false;
  clearTimeout(endedTimer);
  endedTimer = setTimeout(hideEnded, ENDED_TOAST_MS);
}

/** Hides the toast; its text stays in the DOM (tests read it) until another call ends. */
export function hideEnded() {
  clearTimeout(endedTimer);
  $("ended").hidden = true;
}

/**
 * Disables a button while an SDK promise runs, so that a second click cannot send the command
 * twice; resolves true when it succeeded. `media`: errors come from the camera/microphone side.
 */
export async function withBusy(button, action, media = false) {
  button.disabled = true;
  try {
    await action();
    return true;
  } catch (error) {
    showError(error, media);
    return false;
  } finally {
    button.disabled = false;
  }
}
