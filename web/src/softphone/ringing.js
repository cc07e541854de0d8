// The calls that ring: the outgoing screen (we call), the incoming screen (we are called) and the
// banner of a second incoming call that waits while another is on screen. These show calls;
// answering, declining and hanging up are in calls.js.
import { $, setText, showScreen } from "./dom.js";
import { hideEnded } from "./notices.js";
import { app, peersOf } from "./state.js";
import { DIAL, incomingNote, initial, mediaName, mediaWord, ringsForText } from "./words.js";

let ringTimer = 0;

// ---- outgoing --------------------------------------------------------------------------------

/** The outgoing screen as soon as the user dials, before the server has made a call of it. */
export function showOutgoing(names, media) {
  hideEnded();
  setText("outgoing-avatar", initial(names));
  setText("outgoing-peer", names);
  setText("outgoing-media", mediaName(media));
  setText("outgoing-status", DIAL.calling(names));
  showScreen("outgoing");
}

export function renderOutgoing(call) {
  const names = peersOf(call).join(", ");
  setText("outgoing-status", app.rang.has(call) ? DIAL.ringing(names) : DIAL.calling(names));
}

// ---- incoming --------------------------------------------------------------------------------

/** Shows a ringing call, or as "waiting" when another is on screen; `promoted`: it was waiting. */
export function presentIncoming(call, promoted = false) {
  if (call.state !== "ringing" || call === app.call) return;
  if (app.call || app.pendingInvite) return showWaiting(call);
  hideEnded();
  app.call = call;
  setText("incoming-avatar", initial(call.caller));
  setText("incoming-from", call.caller);
  setText("incoming-media", mediaName(call.media));
  // `waiting` is as of the invite; once the call it waited on is over, it no longer holds here.
  setText("incoming-note", incomingNote(call.invitees.filter((user) => user !== app.me), call.waiting && !promoted));
  $("incoming-accept").disabled = false;
  $("incoming-decline").disabled = false;
  startRingCountdown(call);
  showScreen("incoming");
}

function startRingCountdown(call) {
  stopRingCountdown();
  const tick = () => {
    const left = Math.ceil((call.expiresAt - Date.now()) / 1000);
    setText("incoming-expires", call.expiresAt && left > 0 && call.state === "ringing" ? ringsForText(left) : "");
  };
  tick();
  ringTimer = setInterval(tick, 1000);
}

export function stopRingCountdown() {
  clearInterval(ringTimer);
  setText("incoming-expires", "");
}

// ---- waiting ---------------------------------------------------------------------------------

function showWaiting(call) {
  if (app.waiting && app.waiting !== call && app.waiting.state === "ringing") {
    // Only one waiting call is shown; a third caller simply hears "busy".
    call.decline("busy").catch((error) => console.warn("dialtone: decline busy", error));
    return;
  }
  app.waiting = call;
  setText("waiting-from", call.caller);
  setText("waiting-media", mediaWord(call.media));
  $("waiting").hidden = false;
}

/** Forgets the waiting call and hides its banner; returns the call (null if none was waiting). */
export function takeWaiting() {
  const call = app.waiting;
  app.waiting = null;
  $("waiting").hidden = true;
  return call;
}
