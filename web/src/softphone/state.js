// What the page knows about the session and its calls, shared by every module, so that the
// handlers (and the test hooks on window.dialtone) all read one truth. Timers are not here: each
// module keeps its own.

const NAME_KEY = "dialtone.name";

export const app = {
  config: { devMode: false, websocketPath: "/v1/ws" },
  pasteToken: false, // dev mode, but /dev/token refused us: sign in with a pasted token instead
  client: null,
  me: null,
  call: null, // the call on screen (outgoing, incoming or active)
  media: null, // CallMedia of app.call once it is active
  waiting: null, // a second incoming call, ringing while app.call is on screen
  pendingInvite: null, // { cancel } while client.invite() has not answered yet
  signingOut: false,
  wasConnected: false,
  sessionLost: false, // the SDK lost the session and signs in afresh
  tracked: new WeakSet(), // calls whose events we listen to
  rang: new WeakSet(), // outgoing calls that reached a device of the callee
  decliners: new WeakMap(), // call → last user who declined it (ended's `by` may be absent)
};

/** Forgets the session and its calls (app.media is stopped and cleared by stopCallUi). */
export function forgetSession() {
  Object.assign(app, {
    client: null, me: null, call: null, waiting: null, pendingInvite: null,
    signingOut: false, wasConnected: false, sessionLost: false,
  });
}

/** The other people in a call, as this user sees them. */
export function peersOf(call) {
  const everyone = call.state === "active" && call.participants.length > 1
    ? call.participants : [call.caller, ...call.invitees];
  const others = [...new Set(everyone)].filter((user) => user !== app.me);
  return others.length ? others : [call.direction === "incoming" ? call.caller : call.invitees[0] || "?"];
}

/** The name last signed in with, offered again on the sign-in screen. */
export function storedName() {
  try { return localStorage.getItem(NAME_KEY) || ""; } catch { return ""; }
}

export function rememberName(name) {
  try { localStorage.setItem(NAME_KEY, name); } catch { /* private mode: nothing to remember */ }
}
