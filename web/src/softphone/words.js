// Every text the softphone shows a person, in one place: what the SDK's error codes, end reasons
// and history outcomes mean in plain words, and how durations and times are written. Nothing here
// touches the page or its state (what a text depends on is passed in), so any of it can be copied
// into another application as it is.

// ---- errors ----------------------------------------------------------------------------------

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

/** Plain words for an error; `media` says it came from the camera/microphone side (CallMedia). */
export function describeError(error, media = false) {
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

// ---- signing in and out ----------------------------------------------------------------------

export const SIGNIN = {
  noConfig: "Could not read the server's configuration; sign in with a token.",
  needToken: "Paste a token to sign in",
  needName: "Type a name to sign in",
  signingIn: "Signing in…",
  cannotConnect: "Could not connect to the server; check the address and try again",
  loopbackOnly: "Development sign-in only works on the server's own machine; paste a token instead",
  devTokenFailed: (status) => `Development sign-in failed (HTTP ${status})`,
};

export const SESSION = {
  connecting: "Connecting…",
  reconnecting: "Reconnecting…",
  signedOut: "Signed out",
  disconnected: "Disconnected — please sign in again",
};

/** Why the session is over, from the SDK's 'sessionEnded' error; `signingOut`: the user asked. */
export function sessionEndedText(error, signingOut) {
  if (signingOut) return SESSION.signedOut;
  const text = `${error?.code || ""} ${error?.message || ""}`.toLowerCase();
  if (/replaced|another connection|elsewhere/.test(text)) return "Signed in elsewhere";
  if (error?.code === "unauthorized") return ERROR_TEXT.unauthorized;
  if (error?.code === "resume_failed") return "Your session expired — please sign in again";
  if (text.includes("logged out")) return SESSION.signedOut;
  return `Signed out: ${error?.message || "the session ended"}`;
}

// ---- calls -----------------------------------------------------------------------------------

/** "audio" or "video", as a word in a sentence. */
export const mediaWord = (media) => (media === "video" ? "video" : "audio");
const capitalized = (word) => word[0].toUpperCase() + word.slice(1);
/** "Audio call" or "Video call". */
export const mediaName = (media) => `${capitalized(mediaWord(media))} call`;

/** "alice", "alice and bob", "alice, bob and carol". */
function listNames(users) {
  return users.length <= 1 ? users.join("") : `${users.slice(0, -1).join(", ")} and ${users.at(-1)}`;
}

/** The letter on an avatar. */
export const initial = (name) => (Array.from((name || "?").trim())[0] || "?").toUpperCase();

export const DIAL = {
  needCallee: "Type the user id of the person to call",
  calling: (names) => `Calling ${names}…`,
  ringing: (names) => `Ringing ${names}…`,
  canceling: "Canceling…",
};

/** The line under the caller's name on the incoming screen; `otherInvitees` excludes this user. */
export function incomingNote(otherInvitees, inAnotherCall) {
  const notes = [];
  if (otherInvitees.length) notes.push(`Group call with ${listNames(otherInvitees)}`);
  if (inAnotherCall) notes.push("You are in another call");
  return notes.join(" · ");
}

export const ringsForText = (seconds) => `Rings for ${seconds} s more`;

/** The status line of an active call: who is reconnecting, who holds it. */
export function callStatusText(call, me) {
  const parts = [];
  const away = call.reconnecting.filter((user) => user !== me);
  if (away.length) parts.push(`${listNames(away)} ${away.length > 1 ? "are" : "is"} reconnecting…`);
  const holders = call.heldBy.filter((user) => user !== me);
  if (call.heldBy.includes(me)) parts.push("On hold");
  else if (holders.length) parts.push(`${listNames(holders)} put you on hold`);
  return parts.join(" · ");
}

/** Labels of the in-call toggles: `label` for screen readers, `short` under the button. */
export const CONTROLS = {
  mute: (muted) => ({ label: muted ? "Unmute" : "Mute" }),
  camera: (on) => ({ label: on ? "Turn camera off" : "Turn camera on", short: "Camera" }),
  hold: (held) => ({ label: held ? "Resume" : "Hold" }),
};

/**
 * Why the call ended, for the toast. `peer` is the first other person in it; `decliner` the last
 * one who declined (the 'ended' event's `by` may be absent).
 */
export function endedText(call, reason, by, { me, peer, decliner }) {
  const incoming = call.direction === "incoming";
  const who = by && by !== me ? by : decliner || peer;
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
    case "connection_lost": return ERROR_TEXT.connection_lost;
    case "forced": return "Ended by an administrator";
    case "unhold_failed": return "The call could not be resumed";
    default: return reason ? `The call ended (${reason})` : "The call ended";
  }
}

// ---- history ---------------------------------------------------------------------------------

const OUTCOME_TEXT = { outgoing: "Outgoing", answered: "Answered", missed: "Missed", declined: "Declined", busy: "Busy" };
const END_SHORT = { no_answer: "no answer", declined: "declined", busy: "busy", offline: "offline", canceled: "canceled" };

/** How a history record ended, as this user sees it ("Outgoing · no answer", "Missed"…). */
export function outcomeText(record, me) {
  if (record.outcome === "outgoing") {
    return record.answeredAt ? "Outgoing" : `Outgoing · ${END_SHORT[record.endReason] || "not answered"}`;
  }
  if (record.outcome === "answered" && record.caller === me) return "Outgoing";
  return OUTCOME_TEXT[record.outcome] || record.outcome;
}

/** What a screen reader says for a history entry, which calls the party back when pressed. */
export const historyLabel = (party, outcome, record) =>
  `${party}: ${outcome}, ${record.media}, ${formatWhen(record.createdAt)}. Dial ${party}`;

/** The second line of a history entry: "Missed · Video". */
export const historyDetail = (outcome, media) => `${outcome} · ${capitalized(mediaWord(media))}`;

export const missedCallsTitle = (count) => `${count} missed call${count === 1 ? "" : "s"} while you were away`;

// ---- durations and times ---------------------------------------------------------------------

/** "04:07", or "1:04:07" from an hour on. */
export function formatDuration(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  const two = (n) => String(n).padStart(2, "0");
  const mmss = `${two(Math.floor((total % 3600) / 60))}:${two(total % 60)}`;
  return total >= 3600 ? `${Math.floor(total / 3600)}:${mmss}` : mmss;
}

/** The time alone for today, with the day before it otherwise. */
export function formatWhen(epochMs) {
  const date = new Date(epochMs);
  const time = date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  if (date.toDateString() === new Date().toDateString()) return time;
  return `${date.toLocaleDateString([], { day: "numeric", month: "short" })}, ${time}`;
}
