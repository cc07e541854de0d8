// Dialtone softphone: the page the server serves at "/". Plain ES modules (no build step, no
// libraries) on top of the JavaScript SDK. The page is served with a strict CSP, so every handler
// is attached here and all styling lives in softphone.css.
//
// This file only wires the page to the modules in softphone/, which each do one thing:
//   state.js    what the page knows (the `app` object), shared by all of them
//   words.js    every text a person reads: errors, end reasons, outcomes, durations
//   dom.js      $, setText, showScreen, el
//   notices.js  the error banner and the "call ended" toast
//   signin.js   configuration, development tokens, signing in
//   session.js  a signed-in session: home screen, connection, signing out
//   history.js  the call history and the missed-calls badge
//   calls.js    dial, answer, decline, hang up, and the SDK's call events
//   ringing.js  the outgoing and incoming screens and the waiting-call banner
//   incall.js   the in-call screen: media, timer, status and toggles
//   tiles.js    the local preview and the remote video tiles
import { acceptIncoming, cancelOutgoing, declineIncoming, declineWaiting, dial, hangUp } from "./softphone/calls.js";
import { $, showScreen } from "./softphone/dom.js";
import { toggleCamera, toggleHold, toggleMute } from "./softphone/incall.js";
import { hideError } from "./softphone/notices.js";
import { signOut } from "./softphone/session.js";
import { loadConfig, signIn } from "./softphone/signin.js";
import { app, storedName } from "./softphone/state.js";

// For the browser tests and for debugging from the console.
window.dialtone = {
  get client() { return app.client; },
  get media() { return app.media; },
  get call() { return app.call; },
};

function watchNetwork() {
  // A dead socket takes two heartbeats to notice; the browser knows sooner. (The SDK itself
  // resumes at once when the network comes back, on 'online'.)
  window.addEventListener("offline", () => {
    if (app.client?.state === "connected") app.client.networkChanged();
  });
  // Closing the tab mid-call should end the call, not leave the peer waiting for a resume.
  window.addEventListener("pagehide", () => app.call?.hangup().catch(() => {}));
}

function init() {
  const on = (id, handler, type = "click") => $(id).addEventListener(type, handler);
  $("signin-name").value = storedName();
  on("signin-form", signIn, "submit");
  on("signout", signOut);
  on("dial-form", (event) => { event.preventDefault(); dial("audio"); }, "submit");
  on("dial-video", () => dial("video"));
  on("outgoing-cancel", cancelOutgoing);
  on("incoming-accept", acceptIncoming);
  on("incoming-decline", declineIncoming);
  on("waiting-decline", declineWaiting);
  on("btn-mute", toggleMute);
  on("btn-camera", toggleCamera);
  on("btn-hold", toggleHold);
  on("btn-hangup", hangUp);
  on("error-dismiss", hideError);
  watchNetwork();
  showScreen("signin");
  loadConfig();
}

init();
