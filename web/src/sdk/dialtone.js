// Dialtone JavaScript SDK: sign in to a Dialtone server, place and answer calls, and keep them
// through network changes. A plain ES module for browsers (and Node with a WebSocket); the types
// are in dialtone.d.ts, the guide in docs/sdk-js.md. WebRTC media: see media.js.

import { Emitter } from "./internal/emitter.js";
import { DialtoneError } from "./internal/errors.js";
import { SessionLink } from "./internal/link.js";
import { CallImpl } from "./internal/call.js";
import { RoomImpl } from "./internal/room.js";

export { DialtoneError };

const DEFAULTS = { requestTimeoutMs: 10_000, reconnectInitialMs: 250, reconnectMaxMs: 5_000 };
const EARLY_CALLS_KEPT = 16;
const EARLY_EVENTS_KEPT = 64;
const ENDED_CALLS_KEPT = 256;

export class DialtoneClient extends Emitter {
  #link;
  /** callId → call, for calls that have not ended. */
  #calls = new Map();
  /** room name → room this client is in. */
  #rooms = new Map();
  /** callId → events that came before this client knew the call (see #holdForLater). */
  #early = new Map();
  /** callId → its early events and the live ones behind them, until they are applied. */
  #replaying = new Map();
  /** Ids of calls that ended here lately: their late events are not kept for later. */
  #ended = new Set();
  #unwatchNetwork;
  #commands = (type, fields) => this.#link.request(type, fields);

  constructor(options) {
    super();
    if (!options?.url) throw new TypeError("options.url is required");
    if (!options.token) throw new TypeError("options.token is required");
    this.#link = new SessionLink({ ...DEFAULTS, ...options }, {
      onEvent: (event) => this.#onEvent(event),
      onState: (state) => this.emit("connectionState", state),
      onSessionOpened: () => this.#rejoinRooms(),
      onSessionLost: (error, final) => this.#onSessionLost(error, final),
    });
    this.#unwatchNetwork = watchNetwork(this);
  }

  get state() { return this.#link.state; }
  get session() { return this.#link.sessionInfo(); }
  get calls() { return [...this.#calls.values()]; }
  get rooms() { return [...this.#rooms.values()]; }

  connect() {
    return this.#link.open();
  }

  call(callId) {
    return this.#calls.get(callId);
  }

  async invite(to, { media = "audio", payload, timeoutMs } = {}) {
    const invitees = Array.isArray(to) ? [...to] : [to];
    const fields = { to: invitees, media };
    if (payload !== undefined) fields.payload = payload;
    if (timeoutMs !== undefined) fields.timeoutMs = timeoutMs;
    const ok = await this.#commands("call.invite", fields);
    // Glare (rule 7): the server merged this invite into the call ringing here; it is active now.
    const merged = this.#calls.get(ok.callId);
    if (merged) {
      merged.answered(ok.roomId);
      return merged;
    }
    const me = this.#link.session?.user;
    return this.#track(new CallImpl({ id: ok.callId, direction: "outgoing", caller: me, invitees, media, payload },
      this.#callContext()));
  }

  async joinCall(callId) {
    this.#ended.delete(callId);  // events of the call are news again: keep those that come early
    const ok = await this.#commands("call.join", { callId });
    let call = this.#calls.get(ok.callId);
    if (!call) {
      let snapshot;
      try {
        snapshot = (await this.listCalls()).find((c) => c.callId === ok.callId);
      } catch {
        // The join went through; call.started names everyone, the media stays unknown (audio).
      }
      call = this.#track(new CallImpl({
        id: ok.callId, direction: "incoming", caller: snapshot?.caller, media: snapshot?.media,
        invitees: snapshot?.participants.map((p) => p.user).filter((u) => u !== snapshot.caller),
      }, this.#callContext()));
    }
    call.answered(ok.roomId);
    return call;
  }

  async joinRoom(room, payload) {
    const fields = { room };
    if (payload !== undefined) fields.payload = payload;
    const ok = await this.#commands("room.join", fields);
    const known = this.#rooms.get(ok.room);
    if (known) return known;
    const joined = new RoomImpl(ok.room, ok, {
      commands: this.#commands, onLeft: (r) => this.#rooms.delete(r.name),
    });
    this.#rooms.set(joined.name, joined);
    return joined;
  }

  async history({ limit, before } = {}) {
    const fields = {};
    if (limit !== undefined) fields.limit = limit;
    if (before !== undefined) fields.before = before;
    const ok = await this.#commands("calls.history", fields);
    return ok.next ? { calls: ok.calls, next: ok.next } : { calls: ok.calls };
  }

  async listCalls() {
    return (await this.#commands("calls.list")).calls;
  }

  networkChanged() {
    this.#link.dropAndResume();
  }

  logout() {
    return this.#link.logout();
  }

  close() {
    this.#link.close();
  }

  // ---- events --------------------------------------------------------------------------------

  #onEvent(event) {
    if (event.type === "call.incoming") {
      this.#onIncoming(event);
    } else if (event.type.startsWith("call.")) {
      const call = this.#calls.get(event.callId);
      const replaying = this.#replaying.get(event.callId);
      if (replaying) replaying.push(event);
      else if (call) call.apply(event);
      else if (!this.#ended.has(event.callId)) this.#holdForLater(event);
    } else if (event.type.startsWith("room.")) {
      this.#rooms.get(event.room)?.apply(event);
    }
  }

  #onIncoming(event) {
    if (this.#calls.has(event.callId)) return;  // the same invite delivered again on sign-in
    const call = this.#track(new CallImpl({
      id: event.callId, direction: "incoming", caller: event.from, invitees: event.invitees,
      media: event.media, payload: event.payload ?? null, expiresAt: event.expiresAt, waiting: !!event.waiting,
    }, this.#callContext()));
    this.emit("incoming", call);
  }

  /**
   * After a resume, the replayed events of a call come before the reply to the re-sent
   * `call.invite` that tells this client the call's id; they wait here for it (a bounded wait).
   */
  #holdForLater(event) {
    if (this.#early.size >= EARLY_CALLS_KEPT) this.#early.delete(this.#early.keys().next().value);
    const events = this.#early.get(event.callId) ?? [];
    if (events.length < EARLY_EVENTS_KEPT) events.push(event);
    this.#early.set(event.callId, events);
  }

  /**
   * Starts following a call. Events that came before it (see #holdForLater) are applied in a
   * later task, after the caller of invite() or joinCall() has had the call and subscribed; the
   * call's live events queue behind them meanwhile.
   */
  #track(call) {
    this.#calls.set(call.id, call);
    this.emit("call", call);
    const early = this.#early.get(call.id);
    if (early) {
      this.#early.delete(call.id);
      this.#replaying.set(call.id, early);
      setTimeout(() => {
        const events = this.#replaying.get(call.id) ?? [];
        this.#replaying.delete(call.id);
        for (const event of events) call.apply(event);
      }, 0);
    }
    return call;
  }

  #callContext() {
    return {
      commands: this.#commands,
      me: this.#link.session?.user,
      iceServers: () => this.#link.session?.iceServers ?? [],
      onEnded: (c) => this.#forget(c),
    };
  }

  #forget(call) {
    this.#calls.delete(call.id);
    this.#ended.add(call.id);
    if (this.#ended.size > ENDED_CALLS_KEPT) this.#ended.delete(this.#ended.values().next().value);
  }

  // ---- sessions ------------------------------------------------------------------------------

  /** The session could not be resumed (or the client closed): its calls are over here. */
  #onSessionLost(error, final) {
    for (const call of this.calls) call.end("connection_lost", undefined);
    this.#early.clear();
    this.#replaying.clear();
    if (final) {
      this.#unwatchNetwork();
      for (const room of this.rooms) room.left();
    } else {
      for (const room of this.rooms) room.rejoinPending = true;
    }
    this.emit("sessionEnded", error);
  }

  /**
   * After a fresh sign-in that replaced a lost session, joins the rooms again with their old
   * handles, so that the others see one person come back rather than a stranger.
   */
  async #rejoinRooms() {
    for (const room of this.rooms.filter((r) => r.rejoinPending)) {
      room.rejoinPending = false;
      const originalHandle = room.handle;
      try {
        const ok = await this.#commands("room.join", { room: room.name, originalHandle });
        room.reset(ok);
        room.emit("resumed", ok.handle, originalHandle);
        room.emit("change");
      } catch {
        room.left();
      }
    }
  }
}

/** In a browser, a network that comes back is the moment to resume, not the next backoff tick. */
function watchNetwork(client) {
  if (typeof globalThis.addEventListener !== "function" || typeof navigator === "undefined") return () => {};
  const online = () => {
    if (client.state === "reconnecting" || client.state === "connected") client.networkChanged();
  };
  globalThis.addEventListener("online", online);
  return () => globalThis.removeEventListener("online", online);
}
