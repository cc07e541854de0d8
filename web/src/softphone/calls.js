// The life of a call, from dialing or ringing to its end: what the user does with a call (dial,
// cancel, accept, decline, hang up) and what the SDK's call events do to the screen. The call
// lifecycle is driven by SDK events only; the screens follow app.call, the call on screen.
import { $, setText, showScreen } from "./dom.js";
import { refreshHistory } from "./history.js";
import { enterInCall, renderInCall, stopCallUi } from "./incall.js";
import { hideError, showEnded, showError, showErrorText, withBusy } from "./notices.js";
import { presentIncoming, renderOutgoing, showOutgoing, stopRingCountdown, takeWaiting } from "./ringing.js";
import { app, peersOf } from "./state.js";
import { DIAL, endedText } from "./words.js";

// How long to wait for 'ended' after our own hang-up before taking the call off the screen.
const END_GRACE_MS = 1500;

// ---- call events -----------------------------------------------------------------------------

/** Listens to a call's events once, whichever of 'call', 'incoming' or invite() shows it first. */
export function trackCall(call) {
  if (app.tracked.has(call)) return;
  app.tracked.add(call);
  call.on("ringing", () => {
    app.rang.add(call);
    if (call === app.call) renderOutgoing(call);
  });
  call.on("started", () => onStarted(call));
  call.on("declined", (user) => app.decliners.set(call, user));
  call.on("canceled", () => { if (call === app.call) stopRingCountdown(); });
  call.on("ended", (reason, by) => onEnded(call, reason, by));
  // hold, reconnecting and resumed are each followed by 'change', which re-renders the status.
  call.on("change", () => { if (call === app.call && !$("incall").hidden) renderInCall(call); });
}

/** A call that rings this user: shown at once, or as waiting behind the call on screen. */
export function showIncoming(call) {
  trackCall(call);
  presentIncoming(call);
}

function onStarted(call) {
  if (call === app.waiting) return; // we never accept a waiting call, so it cannot start here
  if (!app.call && !app.pendingInvite) app.call = call; // active without a screen of its own yet
  if (call === app.call) enterInCall(call);
}

function onEnded(call, reason, by) {
  if (call === app.waiting) takeWaiting();
  if (call === app.call) finishCall(call, reason, by);
  else refreshHistory(call.id);
}

/** The call on screen is over: say why, then go home (or to a call that was waiting). */
function finishCall(call, reason, by) {
  if (call !== app.call) return;
  app.call = null;
  stopCallUi();
  const next = takeWaiting();
  showEnded(endedText(call, reason, by, { me: app.me, peer: peersOf(call)[0], decliner: app.decliners.get(call) }));
  if (next?.state === "ringing") presentIncoming(next, true);
  else showScreen("home");
  refreshHistory(call.id);
}

/** If 'ended' is slow to follow our own hang-up, do not leave a dead call on screen. */
function finishSoon(call, reason) {
  setTimeout(() => {
    if (call === app.call) finishCall(call, call.endReason || reason, call.endedBy || app.me);
  }, END_GRACE_MS);
}

async function hangUpFrom(button, call, reason) {
  if (await withBusy(button, () => call.hangup())) finishSoon(call, reason);
}

// ---- outgoing --------------------------------------------------------------------------------

export async function dial(media) {
  const client = app.client;
  if (!client || app.call || app.pendingInvite) return;
  const to = $("dial-user").value.split(",").map((user) => user.trim()).filter(Boolean);
  if (!to.length) {
    showErrorText(DIAL.needCallee);
    $("dial-user").focus();
    return;
  }
  hideError();
  const pending = { cancel: false };
  app.pendingInvite = pending;
  showOutgoing(to.join(", "), media);
  let call;
  try {
    call = await client.invite(to.length === 1 ? to[0] : to, { media });
  } catch (error) {
    if (client === app.client) {
      showScreen("home");
      showError(error);
    }
    return;
  } finally {
    if (app.pendingInvite === pending) app.pendingInvite = null;
  }
  if (client !== app.client) return;
  trackCall(call);
  app.call = call;
  if (call === app.waiting) takeWaiting(); // glare: our invite merged into the call that was ringing us
  if (pending.cancel && call.state !== "ended") cancelCall(call);
  else if (call.state === "active") enterInCall(call);
  else if (call.state === "ended") finishCall(call, call.endReason, call.endedBy);
  else renderOutgoing(call);
}

export function cancelOutgoing() {
  if (app.pendingInvite) { // the invite has no call yet: cancel as soon as it has one
    app.pendingInvite.cancel = true;
    setText("outgoing-status", DIAL.canceling);
  } else if (app.call) {
    cancelCall(app.call);
  }
}

function cancelCall(call) {
  return hangUpFrom($("outgoing-cancel"), call, "canceled");
}

// ---- incoming --------------------------------------------------------------------------------

export async function acceptIncoming() {
  const call = app.call;
  if (!call) return;
  $("incoming-decline").disabled = true;
  if (await withBusy($("incoming-accept"), () => call.accept())) {
    // 'started' may have come first; enterInCall does not start the media twice.
    if (call === app.call && call.state !== "ended") enterInCall(call);
  } else if (call === app.call) {
    $("incoming-decline").disabled = false;
  }
}

export async function declineIncoming() {
  const call = app.call;
  if (!call) return;
  $("incoming-accept").disabled = true;
  if (await withBusy($("incoming-decline"), () => call.decline())) finishSoon(call, "declined");
  else $("incoming-accept").disabled = false;
}

export async function declineWaiting() {
  const call = app.waiting;
  if (call && await withBusy($("waiting-decline"), () => call.decline("busy")) && call === app.waiting) {
    takeWaiting();
  }
}

// ---- in call ---------------------------------------------------------------------------------

export function hangUp() {
  if (app.call) hangUpFrom($("btn-hangup"), app.call, "hangup");
}
