// Dialtone softphone: the page the server serves at "/". A plain ES module (no build step, no
// libraries) on top of the JavaScript SDK. The page is served with a strict CSP, so every handler
// is attached here and all styling lives in softphone.css.
//
// The call lifecycle is driven by SDK events only. What is shown follows "the call on screen"
// (app.call) and its fields; one screen at a time, switched with the `hidden` attribute.
import { DialtoneClient } from "./sdk/dialtone.js";
import { CallMedia } from "./sdk/media.js";

const NAME_KEY = "dialtone.name";
const SCREENS = ["signin", "home", "outgoing", "incoming", "incall"];
const ENDED_TOAST_MS = 4000;
const LOOPBACK_ONLY = "Development sign-in only works on the server's own machine; paste a token instead";
const ERROR_TEXT = {
  busy: "You already have a call ringing",
  not_found: "That call no longer exists",
  rate_limited: "Too many actions — slow down",
  unauthorized: "Sign-in failed: the token was refused or has expired",
  unavailable: "The service is temporarily unavailable, try again",
  timeout: "The server did not answer",
  connection_lost: "The connection was lost",
  not_holder: "Only the side that put the call on hold can resume it",
  forbidden: "You are not allowed to do that",
  full: "That call is full",
  resume_failed: "The session could not be resumed",
  internal: "Something went wrong on the server",
};
// The DOMException names getUserMedia rejects with.
const MEDIA_ERROR = /^(NotAllowed|NotFound|NotReadable|Overconstrained|Abort|Security)Error$/;
const OUTCOME_TEXT = { outgoing: "Outgoing", answered: "Answered", missed: "Missed", declined: "Declined", busy: "Busy" };
const END_SHORT = { no_answer: "no answer", declined: "declined", busy: "busy", offline: "offline", canceled: "canceled" };

const $ = (id) => document.getElementById(id);
const setText = (id, text) => { $(id).textContent = text; };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Everything the page knows, in one place, so that handlers and the test hooks agree. */
const app = {
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
  timers: { call: 0, ring: 0, ended: 0 },
};

// For the browser tests and for debugging from the console.
window.dialtone = {
  get client() { return app.client; },
  get media() { return app.media; },
  get call() { return app.call; },
};

// ---- small helpers ---------------------------------------------------------------------------

function showScreen(name) {
  for (const id of SCREENS) $(id).hidden = id !== name;
  document.body.dataset.screen = name; // lets the CSS darken the page behind call screens
}

function el(tag, className, text) {
  const element = document.createElement(tag);
  element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

const initial = (name) => (Array.from((name || "?").trim())[0] || "?").toUpperCase();
const mediaName = (media) => (media === "video" ? "Video call" : "Audio call");

function listNames(users) {
  return users.length <= 1 ? users.join("") : `${users.slice(0, -1).join(", ")} and ${users.at(-1)}`;
}

function formatDuration(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  const two = (n) => String(n).padStart(2, "0");
  const mmss = `${two(Math.floor((total % 3600) / 60))}:${two(total % 60)}`;
  return total >= 3600 ? `${Math.floor(total / 3600)}:${mmss}` : mmss;
}

function formatWhen(epochMs) {
  const date = new Date(epochMs);
  const time = date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  if (date.toDateString() === new Date().toDateString()) return time;
  return `${date.toLocaleDateString([], { day: "numeric", month: "short" })}, ${time}`;
}

function storedName() {
  try { return localStorage.getItem(NAME_KEY) || ""; } catch { return ""; }
}

function rememberName(name) {
  try { localStorage.setItem(NAME_KEY, name); } catch { /* private mode: nothing to remember */ }
}

/** The other people in a call, as this user sees them. */
function peersOf(call) {
  const everyone = call.state === "active" && call.participants.length > 1
    ? call.participants : [call.caller, ...call.invitees];
  const others = [...new Set(everyone)].filter((user) => user !== app.me);
  return others.length ? others : [call.direction === "incoming" ? call.caller : call.invitees[0] || "?"];
}

/** Disables a button while an SDK promise runs; resolves true when it succeeded. */
async function withBusy(button, action, media = false) {
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

// ---- errors and the "call ended" toast -------------------------------------------------------

/** Plain words for an error; `media` says it came from the camera/microphone side (CallMedia). */
function errorText(error, media = false) {
  if (!error) return "Something went wrong";
  const name = error.name || error.cause?.name || "";
  // media.js reports a browser that cannot capture at all as `unavailable`.
  if (MEDIA_ERROR.test(name) || (media && error.code === "unavailable")) {
    return `Camera or microphone not available: ${error.message || name}`;
  }
  switch (error.code) {
    case "denied": return error.hookCode != null ? `Not allowed (code ${error.hookCode})` : "Not allowed";
    case "invalid_state": return error.message || "That cannot be done right now";
    case "bad_request": return `That did not work: ${error.message}`;
    default: return ERROR_TEXT[error.code] || error.message || String(error);
  }
}

function showError(error, media = false) {
  console.warn("dialtone:", error);
  showErrorText(errorText(error, media));
}

function showErrorText(text) {
  setText("error-text", text);
  $("error-banner").hidden = false;
}

const hideError = () => { $("error-banner").hidden = true; };

function showEnded(text) {
  setText("ended-reason", text);
  $("ended").hidden = false;
  clearTimeout(app.timers.ended);
  app.timers.ended = setTimeout(hideEnded, ENDED_TOAST_MS);
}

/** Hides the toast; its text stays in the DOM (tests read it) until another call ends. */
function hideEnded() {
  clearTimeout(app.timers.ended);
  $("ended").hidden = true;
}

// ---- sign-in ---------------------------------------------------------------------------------

async function loadConfig() {
  try {
    const response = await fetch("/v1/client-config", { headers: { accept: "application/json" } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const config = await response.json();
    app.config = { devMode: config.devMode === true, websocketPath: config.websocketPath || "/v1/ws" };
  } catch (error) {
    // Without the configuration dev sign-in cannot be offered, but a pasted token still works.
    console.warn("dialtone: no client configuration", error);
    setText("signin-note", "Could not read the server's configuration; sign in with a token.");
  }
  renderSigninMode();
  $("signin-button").disabled = false;
}

const usesToken = () => !app.config.devMode || app.pasteToken;

function renderSigninMode() {
  // With a token the user id comes from the token itself, so a name field would only mislead.
  $("signin-name-row").hidden = usesToken();
  $("signin-token-row").hidden = !usesToken();
}

function websocketUrl() {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}${app.config.websocketPath}`;
}

async function fetchDevToken(name) {
  const response = await fetch(`/dev/token?user=${encodeURIComponent(name)}`, { method: "POST" });
  if (response.status === 403) throw Object.assign(new Error(LOOPBACK_ONLY), { loopbackOnly: true });
  const body = await response.json().catch(() => ({}));
  if (!response.ok || !body.token) throw new Error(body.error || `Development sign-in failed (HTTP ${response.status})`);
  return body.token;
}

/** The SDK's token option. In dev mode a fresh token is fetched whenever the SDK signs in afresh. */
async function tokenSource() {
  if (usesToken()) {
    const pasted = $("signin-token").value.trim();
    return () => pasted;
  }
  const name = $("signin-name").value.trim();
  let first = await fetchDevToken(name); // fetched up front, so that 403 and 400 are shown as such
  return () => {
    const token = first;
    first = null;
    return token || fetchDevToken(name);
  };
}

async function signIn(event) {
  event.preventDefault();
  if (app.client) return;
  hideError();
  if (usesToken() ? !$("signin-token").value.trim() : !$("signin-name").value.trim()) {
    showErrorText(usesToken() ? "Paste a token to sign in" : "Type a name to sign in");
    return;
  }
  const button = $("signin-button");
  button.disabled = true;
  setText("signin-note", "Signing in…");
  let client = null;
  try {
    const token = await tokenSource();
    client = new DialtoneClient({ url: websocketUrl(), token, device: "browser" });
    app.client = client;
    watchClient(client);
    const session = await client.connect();
    setText("signin-note", "");
    if (app.client === client) enterHome(session);
  } catch (error) {
    setText("signin-note", "");
    if (error.loopbackOnly) {
      app.pasteToken = true;
      renderSigninMode();
      setText("signin-note", error.message);
      $("signin-token").focus();
    } else if (error.code === "connection_lost") {
      showErrorText("Could not connect to the server; check the address and try again");
    } else {
      showError(error);
    }
    if (client && app.client === client) {
      app.client = null;
      client.close();
    }
  } finally {
    button.disabled = false;
  }
}

function watchClient(client) {
  client.on("connectionState", (state) => onConnectionState(client, state));
  client.on("sessionEnded", (error) => {
    if (client !== app.client || !app.me) return;
    // Not closed: the session could not be resumed and the SDK signs in afresh by itself; the
    // calls ended with it ('ended', connection_lost), so only the history needs a new look.
    if (client.state === "closed") endSession(sessionEndedText(error));
    else app.sessionLost = true;
  });
  client.on("call", trackCall);
  client.on("incoming", (call) => {
    if (client !== app.client || !app.me) return; // before sign-in completes, enterHome shows it
    trackCall(call);
    presentIncoming(call);
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
  setText("banner-reconnecting", state === "connecting" ? "Connecting…" : "Reconnecting…");
  if (state === "closed" && app.me) {
    // sessionEnded, if it comes, says better why; give it the chance to run first.
    setTimeout(() => {
      if (client === app.client) endSession(app.signingOut ? "Signed out" : "Disconnected — please sign in again");
    }, 0);
  }
}

function sessionEndedText(error) {
  if (app.signingOut) return "Signed out";
  const text = `${error?.code || ""} ${error?.message || ""}`.toLowerCase();
  if (/replaced|another connection|elsewhere/.test(text)) return "Signed in elsewhere";
  if (error?.code === "unauthorized") return ERROR_TEXT.unauthorized;
  if (error?.code === "resume_failed") return "Your session expired — please sign in again";
  if (text.includes("logged out")) return "Signed out";
  return `Signed out: ${error?.message || "the session ended"}`;
}

async function signOut() {
  if (!app.client) return;
  app.signingOut = true;
  try {
    await app.client.logout();
  } catch (error) {
    console.warn("dialtone: logout", error); // the session is over for this page either way
  }
  endSession("Signed out");
}

/** Back to the sign-in screen, forgetting the session and everything on screen. */
function endSession(message) {
  const client = app.client;
  if (!client) return;
  Object.assign(app, { client: null, me: null, call: null, waiting: null, pendingInvite: null, signingOut: false, wasConnected: false, sessionLost: false });
  stopCallUi();
  hideWaiting();
  hideEnded();
  $("banner-reconnecting").hidden = true;
  try { client.close(); } catch { /* already closed */ }
  $("signin-name").value = storedName();
  setText("signin-note", message);
  showScreen("signin");
}

// ---- home ------------------------------------------------------------------------------------

function enterHome(session) {
  app.me = session.user;
  rememberName(session.user);
  setText("me", session.user);
  setText("me-avatar", initial(session.user));
  renderMissedBadge(session.missedCalls);
  showScreen("home");
  refreshHistory();
  // A device that signs in while it is being called gets the invite at once, maybe before now.
  const ringing = app.client.calls.find((call) => call.direction === "incoming" && call.state === "ringing");
  if (ringing) {
    trackCall(ringing);
    presentIncoming(ringing);
  }
}

function renderMissedBadge(count) {
  const badge = $("missed-badge");
  badge.hidden = !(count > 0);
  badge.textContent = count > 0 ? String(count) : "";
  badge.title = count > 0 ? `${count} missed call${count === 1 ? "" : "s"} while you were away` : "";
}

/** Loads the history; after a call, retries briefly, since its record is written after it ends. */
async function refreshHistory(expectCallId) {
  const client = app.client;
  for (let attempt = 1; client && attempt <= 4; attempt++) {
    try {
      const page = await client.history({ limit: 50 });
      if (client !== app.client) return;
      renderHistory(page.calls);
      if (!expectCallId || page.calls.some((record) => record.callId === expectCallId)) return;
    } catch (error) {
      if (client === app.client) showError(error);
      return;
    }
    await sleep(400 * attempt);
  }
}

function renderHistory(records) {
  $("history").replaceChildren(...records.map(historyEntry));
  $("history-empty").hidden = records.length > 0;
}

function otherParty(record) {
  if (record.caller !== app.me) return record.caller;
  return record.invitees.map((invitee) => invitee.user).join(", ") || "?";
}

function outcomeText(record) {
  if (record.outcome === "outgoing") {
    return record.answeredAt ? "Outgoing" : `Outgoing · ${END_SHORT[record.endReason] || "not answered"}`;
  }
  if (record.outcome === "answered" && record.caller === app.me) return "Outgoing";
  return OUTCOME_TEXT[record.outcome] || record.outcome;
}

function historyEntry(record) {
  const party = otherParty(record);
  const outcome = outcomeText(record);
  const li = el("li", "history-entry");
  li.dataset.callId = record.callId;
  li.dataset.outcome = record.outcome;
  li.classList.toggle("missed", record.outcome === "missed");

  const button = el("button", "history-button");
  button.type = "button";
  button.setAttribute("aria-label", `${party}: ${outcome}, ${record.media}, ${formatWhen(record.createdAt)}. Dial ${party}`);
  const arrow = record.outcome === "missed" ? "✕" : record.caller === app.me ? "↗" : "↙";
  const main = el("span", "history-main");
  main.append(el("span", "history-peer", party), el("span", "history-detail", `${outcome} · ${record.media === "video" ? "Video" : "Audio"}`));
  const side = el("span", "history-side");
  side.append(el("span", "history-time", formatWhen(record.createdAt)));
  if (record.durationMs > 0) side.append(el("span", "history-duration", formatDuration(record.durationMs)));
  button.append(el("span", "history-icon", arrow), main, side);
  li.append(button);

  // Calling back is the usual thing to do with a history entry.
  li.addEventListener("click", () => {
    $("dial-user").value = party.split(",")[0].trim();
    $("dial-user").focus();
  });
  return li;
}

// ---- call events -----------------------------------------------------------------------------

/** Listens to a call's events once, whichever of 'call', 'incoming' or invite() shows it first. */
function trackCall(call) {
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

function onStarted(call) {
  if (call === app.waiting) return; // we never accept a waiting call, so it cannot start here
  if (!app.call && !app.pendingInvite) app.call = call; // active without a screen of its own yet
  if (call === app.call) enterInCall(call);
}

function onEnded(call, reason, by) {
  if (call === app.waiting) {
    app.waiting = null;
    hideWaiting();
  }
  if (call === app.call) finishCall(call, reason, by);
  else refreshHistory(call.id);
}

/** The call on screen is over: say why, then go home (or to a call that was waiting). */
function finishCall(call, reason, by) {
  if (call !== app.call) return;
  app.call = null;
  stopCallUi();
  const next = app.waiting;
  app.waiting = null;
  hideWaiting();
  showEnded(endedText(call, reason, by));
  if (next?.state === "ringing") presentIncoming(next, true);
  else showScreen("home");
  refreshHistory(call.id);
}

/** If 'ended' is slow to follow our own hang-up, do not leave a dead call on screen. */
function finishSoon(call, reason) {
  setTimeout(() => {
    if (call === app.call) finishCall(call, call.endReason || reason, call.endedBy || app.me);
  }, 1500);
}

function endedText(call, reason, by) {
  const me = app.me;
  const incoming = call.direction === "incoming";
  const peer = peersOf(call)[0];
  const who = by && by !== me ? by : app.decliners.get(call) || peer;
  // Another device of this user answered or declined: the call is not over for the user.
  if (call.cancelReason === "answered_elsewhere") return "Answered on another device";
  if (call.cancelReason === "declined_elsewhere") return "Declined on another device";
  switch (reason) {
    case "hangup": return by === me ? "You hung up" : `${by || peer} hung up`;
    case "declined": return by === me ? "You declined" : `${who} declined`;
    case "busy": return `${who} is busy`;
    case "no_answer": return incoming && !call.startedAt ? `No answer — missed call from ${call.caller}` : "No answer";
    case "offline": return `${who} is offline`;
    case "canceled": return incoming ? `Missed call from ${call.caller}` : "Call canceled";
    case "connection_lost": return "The connection was lost";
    case "forced": return "Ended by an administrator";
    case "unhold_failed": return "The call could not be resumed";
    default: return reason ? `The call ended (${reason})` : "The call ended";
  }
}

// ---- outgoing --------------------------------------------------------------------------------

async function dial(media) {
  const client = app.client;
  if (!client || app.call || app.pendingInvite) return;
  const to = $("dial-user").value.split(",").map((user) => user.trim()).filter(Boolean);
  if (!to.length) {
    showErrorText("Type the user id of the person to call");
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
  if (call === app.waiting) { // glare: our invite merged into the call that was ringing us
    app.waiting = null;
    hideWaiting();
  }
  if (pending.cancel && call.state !== "ended") hangUpFrom($("outgoing-cancel"), call, "canceled");
  else if (call.state === "active") enterInCall(call);
  else if (call.state === "ended") finishCall(call, call.endReason, call.endedBy);
  else renderOutgoing(call);
}

function showOutgoing(names, media) {
  hideEnded();
  setText("outgoing-avatar", initial(names));
  setText("outgoing-peer", names);
  setText("outgoing-media", mediaName(media));
  setText("outgoing-status", `Calling ${names}…`);
  showScreen("outgoing");
}

function renderOutgoing(call) {
  const names = peersOf(call).join(", ");
  setText("outgoing-status", app.rang.has(call) ? `Ringing ${names}…` : `Calling ${names}…`);
}

function cancelOutgoing() {
  if (app.pendingInvite) { // the invite has no call yet: cancel as soon as it has one
    app.pendingInvite.cancel = true;
    setText("outgoing-status", "Canceling…");
  } else if (app.call) {
    hangUpFrom($("outgoing-cancel"), app.call, "canceled");
  }
}

async function hangUpFrom(button, call, reason) {
  if (await withBusy(button, () => call.hangup())) finishSoon(call, reason);
}

// ---- incoming --------------------------------------------------------------------------------

/** Shows a ringing call, or as "waiting" when another is on screen; `promoted`: it was waiting. */
function presentIncoming(call, promoted = false) {
  if (call.state !== "ringing" || call === app.call) return;
  if (app.call || app.pendingInvite) return showWaiting(call);
  hideEnded();
  app.call = call;
  setText("incoming-avatar", initial(call.caller));
  setText("incoming-from", call.caller);
  setText("incoming-media", mediaName(call.media));
  const others = call.invitees.filter((user) => user !== app.me);
  const notes = [];
  if (others.length) notes.push(`Group call with ${listNames(others)}`);
  // `waiting` is as of the invite; once the call it waited on is over, it no longer holds here.
  if (call.waiting && !promoted) notes.push("You are in another call");
  setText("incoming-note", notes.join(" · "));
  $("incoming-accept").disabled = false;
  $("incoming-decline").disabled = false;
  startRingCountdown(call);
  showScreen("incoming");
}

function startRingCountdown(call) {
  stopRingCountdown();
  const tick = () => {
    const left = Math.ceil((call.expiresAt - Date.now()) / 1000);
    setText("incoming-expires", call.expiresAt && left > 0 && call.state === "ringing" ? `Rings for ${left} s more` : "");
  };
  tick();
  app.timers.ring = setInterval(tick, 1000);
}

function stopRingCountdown() {
  clearInterval(app.timers.ring);
  setText("incoming-expires", "");
}

async function acceptIncoming() {
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

async function declineIncoming() {
  const call = app.call;
  if (!call) return;
  $("incoming-accept").disabled = true;
  if (await withBusy($("incoming-decline"), () => call.decline())) finishSoon(call, "declined");
  else $("incoming-accept").disabled = false;
}

function showWaiting(call) {
  if (app.waiting && app.waiting !== call && app.waiting.state === "ringing") {
    // Only one waiting call is shown; a third caller simply hears "busy".
    call.decline("busy").catch((error) => console.warn("dialtone: decline busy", error));
    return;
  }
  app.waiting = call;
  setText("waiting-from", call.caller);
  setText("waiting-media", call.media === "video" ? "video" : "audio");
  $("waiting").hidden = false;
}

const hideWaiting = () => { $("waiting").hidden = true; };

async function declineWaiting() {
  const call = app.waiting;
  if (call && await withBusy($("waiting-decline"), () => call.decline("busy")) && call === app.waiting) {
    app.waiting = null;
    hideWaiting();
  }
}

// ---- in call ---------------------------------------------------------------------------------

function enterInCall(call) {
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
  const current = () => app.media === media;
  media.on("localStream", (stream) => { if (current()) showLocalStream(stream); });
  media.on("remoteStream", (user, stream) => { if (current()) upsertTile(user, stream); });
  media.on("remoteStreamRemoved", (user) => { if (current()) removeTile(user); });
  media.on("error", (error) => { if (current()) showError(error, true); });
  if (media.localStream) showLocalStream(media.localStream);
  for (const [user, stream] of media.remoteStreams) upsertTile(user, stream);
  layoutTiles();
}

/** Stops the timers and forgets the media (CallMedia also closes itself when its call ends). */
function stopCallUi() {
  clearInterval(app.timers.call);
  stopRingCountdown();
  const media = app.media;
  app.media = null;
  try { media?.close(); } catch (error) { console.warn("dialtone: media close", error); }
  for (const video of $("remote-videos").querySelectorAll("video")) video.srcObject = null;
  $("remote-videos").replaceChildren();
  $("local-video").srcObject = null;
  layoutTiles();
}

function startCallTimer(call) {
  clearInterval(app.timers.call);
  const tick = () => setText("incall-timer", formatDuration(call.startedAt ? Date.now() - call.startedAt : 0));
  tick();
  app.timers.call = setInterval(tick, 1000);
}

function renderInCall(call) {
  const peers = peersOf(call);
  setText("incall-peer", peers.join(", "));
  setText("incall-placeholder", initial(peers[0]));
  setText("incall-status", statusLine(call));
  $("incall").classList.toggle("held", call.heldBy.length > 0);
  renderControls();
}

function statusLine(call) {
  const parts = [];
  const away = call.reconnecting.filter((user) => user !== app.me);
  if (away.length) parts.push(`${listNames(away)} ${away.length > 1 ? "are" : "is"} reconnecting…`);
  const holders = call.heldBy.filter((user) => user !== app.me);
  if (call.heldBy.includes(app.me)) parts.push("On hold");
  else if (holders.length) parts.push(`${listNames(holders)} put you on hold`);
  return parts.join(" · ");
}

function renderControls() {
  const media = app.media;
  const muted = Boolean(media?.muted);
  const cameraOn = Boolean(media?.cameraOn);
  const held = Boolean(app.call?.heldBy.includes(app.me));
  setToggle("btn-mute", muted, muted ? "Unmute" : "Mute");
  setToggle("btn-camera", cameraOn, cameraOn ? "Turn camera off" : "Turn camera on", "Camera");
  setToggle("btn-hold", held, held ? "Resume" : "Hold");
  $("btn-mute").disabled = !media;
  $("btn-camera").disabled = !media;
  $("local-video").classList.toggle("off", !cameraOn || !media?.localStream);
}

function setToggle(id, pressed, label, shortLabel = label) {
  const button = $(id);
  button.setAttribute("aria-pressed", String(pressed));
  button.setAttribute("aria-label", label);
  button.querySelector(".label").textContent = shortLabel;
}

function showLocalStream(stream) {
  const video = $("local-video");
  video.muted = true; // never play our own microphone back
  if (video.srcObject !== stream) video.srcObject = stream;
  video.play().catch(() => { /* a muted autoplay may be deferred; harmless */ });
  watchStream(stream, renderControls);
  renderControls();
}

const tileOf = (user) => [...$("remote-videos").children].find((tile) => tile.dataset.tile === user);

/** One tile per remote user: a <video> that always plays (sound too), with an avatar over it. */
function upsertTile(user, stream) {
  let tile = tileOf(user);
  if (!tile) {
    tile = el("div", "tile");
    tile.dataset.tile = user;
    const video = el("video", "remote-video");
    video.dataset.user = user;
    video.autoplay = true;
    video.playsInline = true;
    for (const type of ["resize", "loadeddata", "emptied"]) video.addEventListener(type, () => renderTile(tile));
    const cover = el("span", "tile-cover");
    cover.append(el("span", "avatar avatar-xl", initial(user)));
    tile.append(video, cover, el("span", "tile-name", user));
    $("remote-videos").append(tile);
  }
  const video = tile.querySelector("video");
  if (video.srcObject !== stream) video.srcObject = stream;
  video.play().catch((error) => console.warn("dialtone: remote playback", error));
  watchStream(stream, () => renderTile(tile));
  renderTile(tile);
  layoutTiles();
}

/** Shows the picture once frames arrive. (Chromium may leave remote tracks `muted` even while
 *  they play, so the element's own size is the signal, not track.muted.) */
function renderTile(tile) {
  const video = tile.querySelector("video");
  const live = video.srcObject?.getVideoTracks().some((track) => track.readyState === "live");
  tile.classList.toggle("has-video", Boolean(live) && video.videoWidth > 0);
}

const watched = new WeakSet();

/** Calls onChange when a stream gains or loses tracks, or a track (un)mutes or ends. */
function watchStream(stream, onChange) {
  const watchTrack = (track) => {
    if (watched.has(track)) return;
    watched.add(track);
    for (const type of ["mute", "unmute", "ended"]) track.addEventListener(type, onChange);
  };
  stream.getTracks().forEach(watchTrack);
  if (watched.has(stream)) return;
  watched.add(stream);
  stream.addEventListener("addtrack", (event) => { watchTrack(event.track); onChange(); });
  stream.addEventListener("removetrack", onChange);
}

function removeTile(user) {
  const tile = tileOf(user);
  if (!tile) return;
  tile.querySelector("video").srcObject = null;
  tile.remove();
  layoutTiles();
}

function layoutTiles() {
  const count = $("remote-videos").children.length;
  $("remote-videos").dataset.count = String(count);
  $("incall-placeholder").hidden = count > 0;
}

function toggleMute() {
  if (!app.media) return;
  app.media.setMuted(!app.media.muted);
  renderControls();
}

async function toggleCamera() {
  const media = app.media;
  if (!media) return;
  await withBusy($("btn-camera"), () => media.setCamera(!media.cameraOn), true);
  if (media === app.media) renderControls();
}

async function toggleHold() {
  const call = app.call;
  if (!call) return;
  const held = call.heldBy.includes(app.me);
  await withBusy($("btn-hold"), () => (held ? call.unhold() : call.hold()));
  if (call === app.call) renderInCall(call);
}

// ---- start-up --------------------------------------------------------------------------------

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
  on("btn-hangup", () => { if (app.call) hangUpFrom($("btn-hangup"), app.call, "hangup"); });
  on("error-dismiss", hideError);
  watchNetwork();
  showScreen("signin");
  loadConfig();
}

init();
