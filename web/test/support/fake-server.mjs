// A scripted stand-in for a Dialtone server, for the SDK's own tests.
//
// `new FakeServer()` hands out `server.WebSocket`, a class with the browser WebSocket's shape
// (constructor(url); onopen/onmessage/onclose/onerror; send(text); close(code, reason)) that
// the client is given instead of the real one. Every frame the client sends is parsed and kept
// (`server.frames`, and per socket in `socket.frames`); the test answers with `ok`/`error`,
// pushes events and closes sockets. Everything the server "sends" reaches the client
// asynchronously, one task per frame, in order, as over a real socket.
//
// This file has no tests of its own (node --test runs it as an empty file).

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

/** Resolves once `predicate()` is truthy (with its value); rejects after `timeoutMs`. */
export async function waitFor(predicate, timeoutMs = 1000, what = "condition") {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = predicate();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(2);
  }
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The socket the client holds. Driven from the server side through FakeServer. */
export class FakeWebSocket {
  static CONNECTING = CONNECTING;
  static OPEN = OPEN;
  static CLOSING = CLOSING;
  static CLOSED = CLOSED;

  onopen = null;
  onmessage = null;
  onclose = null;
  onerror = null;
  readyState = CONNECTING;
  /** Parsed frames this socket sent. */
  frames = [];
  /** { code, reason } if the client closed this socket. */
  closedByClient = null;
  /** { code, reason } once the close event was delivered. */
  closeEvent = null;

  #server;

  constructor(url, server) {
    this.url = url;
    this.#server = server;
    this.index = server.sockets.length;
    server.sockets.push(this);
    if (server.refuseConnections) {
      // An unreachable server: error, then close 1006, and never an open.
      later(() => {
        this.readyState = CLOSED;
        this.onerror?.({ type: "error" });
        this.#deliverClose(1006, "");
      });
    } else {
      later(() => {
        if (this.readyState !== CONNECTING) return;
        this.readyState = OPEN;
        this.onopen?.({ type: "open" });
      });
    }
  }

  send(text) {
    if (this.readyState === CONNECTING) throw new Error("InvalidStateError: still connecting");
    if (this.readyState !== OPEN) return;  // a closing socket drops what it is given
    if (typeof text !== "string") throw new TypeError("the SDK must send text frames");
    const frame = JSON.parse(text);
    this.frames.push(frame);
    this.#server.onClientFrame(this, frame);
  }

  close(code = 1000, reason = "") {
    if (this.readyState === CLOSING || this.readyState === CLOSED) return;
    this.closedByClient = { code, reason };
    this.readyState = CLOSING;
    later(() => this.#deliverClose(code, reason));
  }

  // ---- server side ---------------------------------------------------------------------------

  /** Sends one frame (an object, or raw text) to the client, in its own task. */
  deliver(frame) {
    const data = typeof frame === "string" ? frame : JSON.stringify(frame);
    later(() => {
      if (this.readyState !== OPEN) return;
      this.onmessage?.({ type: "message", data });
    });
  }

  /** Closes the socket from the server's side (or the network's: 1006). */
  serverClose(code, reason = "") {
    if (this.readyState === CLOSED) return;
    // Frames already on their way arrive first; the close comes after them.
    later(() => {
      if (this.readyState === CLOSED) return;
      this.#deliverClose(code, reason);
    });
  }

  get isOpen() {
    return this.readyState === OPEN;
  }

  #deliverClose(code, reason) {
    if (this.closeEvent) return;
    this.readyState = CLOSED;
    this.closeEvent = { code, reason };
    this.onclose?.({ type: "close", code, reason, wasClean: code !== 1006 });
  }
}

export class FakeServer {
  /** Every socket the client opened, oldest first. */
  sockets = [];
  /** Every frame the client sent, on any socket, in order. */
  frames = [];
  /** While true, new sockets fail to connect (error + close 1006). */
  refuseConnections = false;
  /** Reply `ok` to every `ping` at once (the heartbeat), without the test's help. */
  answerPings = true;
  /** The seq the next `event()` gets. */
  seq = 1;
  #consumed = new Set();

  constructor() {
    const server = this;
    this.WebSocket = class extends FakeWebSocket {
      constructor(url) {
        super(url, server);
      }
    };
  }

  /** The newest socket. */
  get socket() {
    return this.sockets.at(-1);
  }

  onClientFrame(socket, frame) {
    this.frames.push(frame);
    if (frame.type === "ping" && this.answerPings) {
      this.#consumed.add(frame);
      socket.deliver({ type: "ok", re: frame.id });
    }
  }

  /** Frames of one type (or matching a predicate), in order. */
  framesOf(match) {
    const test = matcher(match);
    return this.frames.filter(test);
  }

  /**
   * Waits for the first frame matching `match` (a type or a predicate) that no earlier `expect`
   * returned, and returns it.
   */
  async expect(match, timeoutMs = 1000) {
    const test = matcher(match);
    const frame = await waitFor(() => this.frames.find((f) => !this.#consumed.has(f) && test(f)), timeoutMs,
      `a frame ${typeof match === "string" ? match : "matching the predicate"} from the client`);
    this.#consumed.add(frame);
    return frame;
  }

  /** Asserts that no (unclaimed) frame matching `match` arrives within `ms`. */
  async expectNone(match, ms = 50) {
    const test = matcher(match);
    await sleep(ms);
    const found = this.frames.find((f) => !this.#consumed.has(f) && test(f));
    if (found) throw new Error(`unexpected frame from the client: ${JSON.stringify(found)}`);
  }

  /** Waits for the n-th socket (0-based) to be opened by the client and to be open. */
  async waitForSocket(index, timeoutMs = 1000) {
    return waitFor(() => this.sockets[index]?.isOpen && this.sockets[index], timeoutMs, `socket #${index}`);
  }

  // ---- sending -------------------------------------------------------------------------------

  /** Sends a raw frame on the newest socket (or `socket`). */
  send(frame, socket = this.socket) {
    socket.deliver(frame);
  }

  /** Answers `command` with `ok` and `fields`. */
  ok(command, fields = {}, socket = this.socket) {
    this.send({ type: "ok", re: command.id, ...fields }, socket);
  }

  /** Answers `command` with an `error`. */
  error(command, code, message = code, fields = {}, socket = this.socket) {
    this.send({ type: "error", re: command.id, code, message, ...fields }, socket);
  }

  /** Pushes an event with the next seq; returns the frame. */
  event(type, fields = {}, socket = this.socket) {
    const frame = { type, seq: this.seq++, ...fields };
    this.send(frame, socket);
    return frame;
  }

  /** Closes the newest socket from the server's side. */
  close(code, reason = "", socket = this.socket) {
    socket.serverClose(code, reason);
  }

  /**
   * Resolves once every frame sent so far has reached the client (frames travel one task each,
   * in order, so a task queued now runs after them).
   */
  settled() {
    return new Promise((resolve) => later(resolve));
  }

  /** The network drops: the client sees close 1006. */
  drop(socket = this.socket) {
    socket.serverClose(1006, "");
  }
}

function matcher(match) {
  return typeof match === "function" ? match : (frame) => frame.type === match;
}

function later(fn) {
  setTimeout(fn, 0);
}
