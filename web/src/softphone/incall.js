// The in-call screen: the call's media (CallMedia), its timer and status line, and the mute,
// camera and hold toggles. Hanging up ends the call, so it is in calls.js.
import { CallMedia } from "../sdk/media.js";
import { $, setText, showScreen } from "./dom.js";
import { hideEnded, showError, withBusy } from "./notices.js";
import { stopRingCountdown } from "./ringing.js";
import { app, peersOf } from "./state.js";
import { clearTiles, layoutTiles, removeTile, showLocalStream, upsertTile } from "./tiles.js";
import { CONTROLS, callStatusText, formatDuration, initial } from "./words.js";

let callTimer = 0;

export function enterInCall(call) {
  hideEnded();
  stopRingCountdown();
  if (app.media?.call !== call) startMedia(call);
  startCallTimer(call);
  renderInCall(call);
  showScreen("incall");
}

function startMedia(call) {
  if (app.media) stopCallUi();
  let media;
  try {
    media = new CallMedia(call);
  } catch (error) {
    return showError(error);
  }
  app.media = media;
  // Events of a media object we have since let go of must not touch the screen.
  const current = () => app.media === media;
  media.on("localStream", (stream) => { if (current()) showLocalStream(stream, renderControls); });
  media.on("remoteStream", (user, stream) => { if (current()) upsertTile(user, stream); });
  media.on("remoteStreamRemoved", (user) => { if (current()) removeTile(user); });
  media.on("error", (error) => { if (current()) showError(error, true); });
  if (media.localStream) showLocalStream(media.localStream, renderControls);
  for (const [user, stream] of media.remoteStreams) upsertTile(user, stream);
  layoutTiles();
}

/** Stops the timers and forgets the media (CallMedia also closes itself when its call ends). */
export function stopCallUi() {
  clearInterval(callTimer);
  stopRingCountdown();
  const media = app.media;
  app.media = null;
  try { media?.close(); } catch (error) { console.warn("dialtone: media close", error); }
  clearTiles();
}

function startCallTimer(call) {
  clearInterval(callTimer);
  const tick = () => setText("incall-timer", formatDuration(call.startedAt ? Date.now() - call.startedAt : 0));
  tick();
  callTimer = setInterval(tick, 1000);
}

export function renderInCall(call) {
  const peers = peersOf(call);
  setText("incall-peer", peers.join(", "));
  setText("incall-placeholder", initial(peers[0]));
  setText("incall-status", callStatusText(call, app.me));
  $("incall").classList.toggle("held", call.heldBy.length > 0);
  renderControls();
}

function renderControls() {
  const media = app.media;
  const muted = Boolean(media?.muted);
  const cameraOn = Boolean(media?.cameraOn);
  const held = Boolean(app.call?.heldBy.includes(app.me));
  setToggle("btn-mute", muted, CONTROLS.mute(muted));
  setToggle("btn-camera", cameraOn, CONTROLS.camera(cameraOn));
  setToggle("btn-hold", held, CONTROLS.hold(held));
  $("btn-mute").disabled = !media;
  $("btn-camera").disabled = !media;
  $("local-video").classList.toggle("off", !cameraOn || !media?.localStream);
}

function setToggle(id, pressed, { label, short = label }) {
  const button = $(id);
  button.setAttribute("aria-pressed", String(pressed));
  button.setAttribute("aria-label", label);
  button.querySelector(".label").textContent = short;
}

export function toggleMute() {
  if (!app.media) return;
  app.media.setMuted(!app.media.muted);
  renderControls();
}

export async function toggleCamera() {
  const media = app.media;
  if (!media) return;
  await withBusy($("btn-camera"), () => media.setCamera(!media.cameraOn), true);
  if (media === app.media) renderControls();
}

export async function toggleHold() {
  const call = app.call;
  if (!call) return;
  const held = call.heldBy.includes(app.me);
  await withBusy($("btn-hold"), () => (held ? call.unhold() : call.hold()));
  if (call === app.call) renderInCall(call);
}
