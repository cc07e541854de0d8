// The session link: one Dialtone session over a succession of WebSockets.
//
// It signs in (`auth`), keeps the session alive (`ping` every heartbeatMs, a watchdog for a
// socket that went silent), acknowledges events, and when a socket drops it opens another and
// `resume`s the same session with `lastSeq`, so that nothing is lost: the server replays what
// this client did not process, and the commands whose replies were lost are sent again with
// the same ids (the server answers a repeated id with its original reply, never twice).
// When the session cannot be resumed, the link says so (`onSessionLost`) and signs in afresh.

import { DialtoneError } from "./errors.js";

const ACK_EVERY_EVENTS = 32;
const ACK_DELAY_MS = 500;
/** Close codes after which this client must not come back on its own. */
const CLOSE_REPLACED = 4409;
const CLOSE_UNAUTHORIZED = 4401;
const DEFAULT_HEARTBEAT_MS = 15_000;
/** The server's own deadline for the first frame is 10 s; a socket silent past it is dead. */
const SIGN_IN_DEADLINE_MS = 12_000;

export class SessionLink {
  #options;
  #hooks;
  #WebSocket;
  state = "idle";
  /** The signed-in session (`auth` reply plus the newest resume token), or null. */
  session = null;
  #socket = null;
  #lastSeq = 0;
  #ackedSeq = 0;
  #ackTimer = null;
  #nextId = 1;
  /** id → { frame, resolve, reject, timer } for every command still waiting for its reply. */
  #pending = new Map();
  #failures = 0;
  #retryTimer = null;
  #signInTimer = null;
  #heartbeatTimer = null;
  #lastHeardAt = 0;
  #firstSignIn = null;

  /**
   * @param options url, token, device, requestTimeoutMs, reconnectInitialMs, reconnectMaxMs, WebSocket
   * @param hooks onEvent(frame), onState(state), onSessionOpened(info), onSessionLost(error, final)
   */
  constructor(options, hooks) {
    this.#options = options;
    this.#hooks = hooks;
    this.#WebSocket = options.WebSocket ?? globalThis.WebSocket;
    if (typeof this.#WebSocket !== "function") {
      throw new TypeError("no WebSocket available: pass options.WebSocket");
    }
  }

  /** Opens the first socket and signs in; resolves with the session. */
  open() {
    if (this.state !== "idle") return Promise.reject(new DialtoneError("invalid_state", `client is ${this.state}`));
    this.#firstSignIn = deferred();
    this.#setState("connecting");
    this.#openSocket();
    return this.#firstSignIn.promise;
  }

  /** Sends a command and resolves with its `ok` frame; held while the link reconnects. */
  request(type, fields = {}) {
    if (this.state === "closed" || this.state === "idle") {
      return Promise.reject(new DialtoneError("connection_lost", "the client is not connected"));
    }
    const id = `${this.#nextId++}`;
    const frame = { type, id, ...fields };
    const entry = deferred();
    entry.frame = frame;
    entry.timer = null;
    this.#pending.set(id, entry);
    if (this.state === "connected") this.#transmit(entry);
    return entry.promise;
  }

  /** Drops the socket now and resumes on a new one at once (a network change). */
  dropAndResume() {
    if (this.state === "reconnecting") {
      // A resume already under way may have rotated the token: let it finish. Only a wait for
      // the next attempt is cut short.
      if (!this.#socket) {
        clearTimeout(this.#retryTimer);
        this.#openSocket();
      }
      return;
    }
    if (this.state !== "connected") return;
    this.#abandonSocket();
    this.#lostSocket(0);
  }

  /** Ends the session for good (`logout`). */
  async logout() {
    try {
      await this.request("logout");
    } finally {
      this.#finish(new DialtoneError("connection_lost", "logged out"));
    }
  }

  /** Closes the socket for good, leaving the session to expire on the server. */
  close() {
    this.#finish(new DialtoneError("connection_lost", "the client was closed"));
  }

  // ---- sockets -------------------------------------------------------------------------------

  #openSocket() {
    let socket;
    try {
      socket = new this.#WebSocket(this.#options.url);
    } catch (error) {
      this.#lostSocket(null, error);
      return;
    }
    this.#socket = socket;
    // A socket that never opens, or never answers the sign-in, is given up like a dropped one.
    clearTimeout(this.#signInTimer);
    this.#signInTimer = setTimeout(() => {
      if (socket !== this.#socket || this.state === "connected") return;
      this.#abandonSocket();
      this.#lostSocket(null, new Error("no answer to the sign-in"));
    }, SIGN_IN_DEADLINE_MS);
    socket.onopen = () => this.#signIn(socket);
    socket.onmessage = (message) => { if (socket === this.#socket) this.#onFrame(message.data); };
    socket.onclose = (close) => { if (socket === this.#socket) this.#onSocketClosed(close.code, close.reason); };
    socket.onerror = () => {};  // a close event always follows
  }

  async #signIn(socket) {
    if (socket !== this.#socket) return;
    this.#lastHeardAt = Date.now();
    if (this.session) {
      const { session, resumeToken } = this.session;
      this.#sendRaw({ type: "resume", id: "resume", session, resumeToken, lastSeq: this.#lastSeq });
      return;
    }
    let token;
    try {
      token = typeof this.#options.token === "function" ? await this.#options.token() : this.#options.token;
    } catch (error) {
      this.#finish(new DialtoneError("unauthorized", `no token: ${error?.message ?? error}`));
      return;
    }
    if (socket !== this.#socket) return;
    const auth = { type: "auth", id: "auth", token };
    if (this.#options.device) auth.device = this.#options.device;
    this.#sendRaw(auth);
  }

  #onFrame(text) {
    this.#lastHeardAt = Date.now();
    let frame;
    try {
      frame = JSON.parse(text);
    } catch {
      return;  // the server only sends JSON; a broken frame carries nothing to act on
    }
    if (frame.type === "ok" || frame.type === "error") {
      this.#onReply(frame);
    } else if (typeof frame.seq === "number") {
      this.#onEvent(frame);
    }
  }

  #onReply(frame) {
    if (frame.re === "auth" || frame.re === "resume") {
      this.#onSignInReply(frame);
      return;
    }
    const entry = this.#pending.get(frame.re);
    if (!entry) return;  // timed out already, or a reply to a command resent after resume
    this.#pending.delete(frame.re);
    clearTimeout(entry.timer);
    if (frame.type === "ok") entry.resolve(frame);
    else entry.reject(DialtoneError.fromReply(frame));
  }

  #onSignInReply(frame) {
    if (frame.type === "ok" && frame.re === "auth") {
      this.session = {
        session: frame.session, resumeToken: frame.resumeToken, user: frame.user, device: frame.device,
        resumeWindowMs: frame.resumeWindowMs, heartbeatMs: frame.heartbeatMs,
        missedCalls: frame.missedCalls, iceServers: frame.iceServers ?? [],
      };
      this.#lastSeq = 0;
      this.#ackedSeq = 0;
      this.#connected();
      this.#hooks.onSessionOpened(this.sessionInfo());
      this.#firstSignIn?.resolve(this.sessionInfo());
      this.#firstSignIn = null;
    } else if (frame.type === "ok") {
      this.session.resumeToken = frame.resumeToken;
      if (frame.iceServers) this.session.iceServers = frame.iceServers;
      this.#connected();
    } else if (frame.re === "resume" && frame.code !== "resume_failed") {
      // Refused for now (rate limited, say), not gone: try again on a new socket, with backoff.
      this.#abandonSocket();
      this.#lostSocket(null);
    } else if (frame.re === "resume") {
      // The session is gone (window passed, server restarted): start a new one on this socket.
      this.#sessionLost(DialtoneError.fromReply(frame));
      this.#setState("connecting");  // a new session, not the same one resumed
      this.#signIn(this.#socket);
    } else {
      this.#finish(DialtoneError.fromReply(frame));
    }
  }

  #connected() {
    clearTimeout(this.#signInTimer);
    this.#failures = 0;
    this.#setState("connected");
    this.#startHeartbeat();
    // Resent commands keep their ids: the server carries each out once and answers again.
    for (const entry of this.#pending.values()) this.#transmit(entry);
  }

  #onEvent(frame) {
    if (frame.seq <= this.#lastSeq) return;  // replayed twice (a resume raced a late frame)
    this.#lastSeq = frame.seq;
    this.#hooks.onEvent(frame);
    this.#scheduleAck();
  }

  #onSocketClosed(code, reason) {
    this.#socket = null;
    this.#stopHeartbeat();
    if (this.state === "closed") return;
    if (code === CLOSE_REPLACED) {
      this.#finish(new DialtoneError("connection_lost", reason || "signed in elsewhere"));
    } else if (code === CLOSE_UNAUTHORIZED && !this.session) {
      this.#finish(new DialtoneError("unauthorized", reason || "sign-in refused"));
    } else {
      this.#lostSocket(code);
    }
  }

  /** The socket is gone: come back with backoff (resume if there is a session, else auth). */
  #lostSocket(code, error) {
    this.#socket = null;
    this.#stopHeartbeat();
    this.#pauseTimeouts();
    if (this.state === "closed") return;
    if (this.#firstSignIn && !this.session) {
      // The first connect() reports an unreachable server instead of retrying behind the app's back.
      this.#finish(new DialtoneError("connection_lost", `cannot reach ${this.#options.url}${error ? `: ${error.message}` : ""}`));
      return;
    }
    this.#setState(this.session ? "reconnecting" : "connecting");
    const delay = code === 0 ? 0 : this.#backoffMs();
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => this.#openSocket(), delay);
  }

  /** Forgets a socket without waiting for its close handshake, which a dead network never ends. */
  #abandonSocket() {
    const socket = this.#socket;
    this.#socket = null;
    if (!socket) return;
    socket.onopen = socket.onmessage = socket.onclose = null;
    try {
      socket.close(1000, "reconnecting");
    } catch {
      // already closing
    }
  }

  #backoffMs() {
    const { reconnectInitialMs, reconnectMaxMs } = this.#options;
    const ceiling = Math.min(reconnectMaxMs, reconnectInitialMs * 2 ** this.#failures++);
    return Math.round(ceiling * (0.5 + Math.random() / 2));
  }

  // ---- session end -------------------------------------------------------------------------

  #sessionLost(error) {
    this.session = null;
    this.#lastSeq = 0;
    // A command of the lost session has no reply to come: "the session ended before the reply".
    this.#rejectPending(new DialtoneError("connection_lost", error.message));
    this.#hooks.onSessionLost(error, false);
  }

  /** The end of this link: no more sockets. */
  #finish(error) {
    if (this.state === "closed") return;
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#ackTimer);
    clearTimeout(this.#signInTimer);
    this.#stopHeartbeat();
    this.#abandonSocket();
    this.session = null;
    this.#setState("closed");
    this.#rejectPending(error);
    this.#firstSignIn?.reject(error);
    this.#firstSignIn = null;
    this.#hooks.onSessionLost(error, true);
  }

  #rejectPending(error) {
    for (const entry of this.#pending.values()) {
      clearTimeout(entry.timer);
      entry.reject(error);
    }
    this.#pending.clear();
  }

  // ---- keeping alive -------------------------------------------------------------------------

  #startHeartbeat() {
    this.#stopHeartbeat();
    // A server that names no heartbeat still closes silent sockets: beat at the protocol's default.
    const heartbeatMs = this.session.heartbeatMs > 0 ? this.session.heartbeatMs : DEFAULT_HEARTBEAT_MS;
    this.#heartbeatTimer = setInterval(() => {
      if (Date.now() - this.#lastHeardAt > 2 * heartbeatMs) {
        // Nothing heard for two beats: the socket is dead even if the browser has not noticed.
        this.dropAndResume();
        return;
      }
      this.request("ping").catch(() => {});
    }, heartbeatMs);
  }

  #stopHeartbeat() {
    clearInterval(this.#heartbeatTimer);
    this.#heartbeatTimer = null;
  }

  #scheduleAck() {
    if (this.#lastSeq - this.#ackedSeq >= ACK_EVERY_EVENTS) {
      this.#sendAck();
    } else if (!this.#ackTimer) {
      this.#ackTimer = setTimeout(() => this.#sendAck(), ACK_DELAY_MS);
    }
  }

  #sendAck() {
    clearTimeout(this.#ackTimer);
    this.#ackTimer = null;
    if (this.state !== "connected" || this.#lastSeq === this.#ackedSeq) return;
    this.#ackedSeq = this.#lastSeq;
    this.#sendRaw({ type: "ack", seq: this.#lastSeq });
  }

  // ---- plumbing ------------------------------------------------------------------------------

  /**
   * Sends (or sends again) a command and starts its time limit. The limit counts only while a
   * socket carries it: a command the server may have carried out during an outage is sent again
   * after the resume instead of being given up as timed out while the server still acts on it.
   */
  #transmit(entry) {
    clearTimeout(entry.timer);
    entry.timer = setTimeout(() => {
      this.#pending.delete(entry.frame.id);
      entry.reject(new DialtoneError("timeout",
        `no reply to ${entry.frame.type} within ${this.#options.requestTimeoutMs} ms`));
    }, this.#options.requestTimeoutMs);
    this.#sendRaw(entry.frame);
  }

  /** The socket is gone: the commands' time limits wait for the next one. */
  #pauseTimeouts() {
    for (const entry of this.#pending.values()) {
      clearTimeout(entry.timer);
      entry.timer = null;
    }
  }

  #sendRaw(frame) {
    try {
      this.#socket?.send(JSON.stringify(frame));
    } catch {
      // the socket is closing; the command is sent again after the resume
    }
  }

  #setState(state) {
    if (this.state === state) return;
    this.state = state;
    this.#hooks.onState(state);
  }

  sessionInfo() {
    if (!this.session) return null;
    const { resumeToken, ...info } = this.session;
    return Object.freeze({ ...info, iceServers: [...info.iceServers] });
  }
}

function deferred() {
  const entry = {};
  entry.promise = new Promise((resolve, reject) => {
    entry.resolve = resolve;
    entry.reject = reject;
  });
  return entry;
}
