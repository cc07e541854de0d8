// A signed-in session: the home screen it opens on, the client's connection (the reconnecting
// banner, a session that ends, calls that ring) and the way back to the sign-in screen.
import { $, setText, showScreen } from "./dom.js";
import { showIncoming, trackCall } from "./calls.js";
import { refreshHistory, renderMissedBadge } from "./history.js";
import { stopCallUi } from "./incall.js";
import { hideEnded } from "./notices.js";
import { takeWaiting } from "./ringing.js";
import { app, forgetSession, rememberName, storedName } from "./state.js";
import { SESSION, initial, sessionEndedText } from "./words.js";

/** Follows a client from before it connects; events of a client we have let go of are ignored. */
export function watchClient(client) {
  client.on("connectionState", (state) => onConnectionState(client, state));
  client.on("sessionEnded", (error) => {
    if (client !== app.client || !app.me) return;
    // Not closed: the session could not be resumed and the SDK signs in afresh by itself; the
    // calls ended with it ('ended', connection_lost), so only the history needs a new look.
    if (client.state === "closed") endSession(sessionEndedText(error, app.signingOut));
    else app.sessionLost = true;
  });
  client.on("call", trackCall);
  client.on("incoming", (call) => {
    if (client !== app.client || !app.me) return; // before sign-in completes, enterHome shows it
    showIncoming(call);
  });
}

function onConnectionState(client, state) {
  if (client !== app.client) return;
  if (state === "connected") app.wasConnected = true;
  if (state === "connected" && app.sessionLost) {
    app.sessionLost = false;
    refreshHistory();
  }
  // "connecting" after having been connected: the session was lost and the SDK signs in afresh.
  $("banner-reconnecting").hidden = !(state === "reconnecting" || (state === "connecting" && app.wasConnected));
  setText("banner-reconnecting", state === "connecting" ? SESSION.connecting : SESSION.reconnecting);
  if (state === "closed" && app.me) {
    // sessionEnded, if it comes, says better why; give it the chance to run first.
    setTimeout(() => {
      if (client === app.client) endSession(app.signingOut ? SESSION.signedOut : SESSION.disconnected);
    }, 0);
  }
}

export function enterHome(session) {
  app.me = session.user;
  rememberName(session.user);
  setText("me", session.user);
  setText("me-avatar", initial(session.user));
  renderMissedBadge(session.missedCalls);
  showScreen("home");
  refreshHistory();
  // A device that signs in while it is being called gets the invite at once, maybe before now.
  const ringing = app.client.calls.find((call) => call.direction === "incoming" && call.state === "ringing");
  if (ringing) showIncoming(ringing);
}

export async function signOut() {
  if (!app.client) return;
  app.signingOut = true;
  try {
    await app.client.logout();
  } catch (error) {
    console.warn("dialtone: logout", error); // the session is over for this page either way
  }
  endSession(SESSION.signedOut);
}

/** Back to the sign-in screen, forgetting the session and everything on screen. */
function endSession(message) {
  const client = app.client;
  if (!client) return;
  forgetSession();
  stopCallUi();
  takeWaiting();
  hideEnded();
  $("banner-reconnecting").hidden = true;
  try { client.close(); } catch { /* already closed */ }
  $("signin-name").value = storedName();
  setText("signin-note", message);
  showScreen("signin");
}
