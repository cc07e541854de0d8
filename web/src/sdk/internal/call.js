// One call as this device sees it, kept up to date from the server's `call.*` events.
//
// The server sends no `call.ended` to a device that ended its own part before the call was
// active (it declined) or whose ringing stopped on its own (`call.canceled`); the call ends
// here then, so that every call's last event is `ended`, exactly once.

import { Emitter } from "./emitter.js";

/** How `call.canceled` reasons read as end reasons (the precise one stays in cancelReason). */
const END_REASON_OF_CANCEL = {
  canceled: "canceled",
  answered_elsewhere: "canceled",
  no_answer: "no_answer",
  declined_elsewhere: "declined",
};

export class CallImpl extends Emitter {
  #commands;
  #me;
  #onEnded;
  #heldBy = new Set();
  #reconnecting = new Set();
  #participants = [];
  #unclaimedSignals = [];

  #iceServers;

  /**
   * @param commands `(type, fields) => Promise<ok frame>` for this session
   * @param me this client's user id
   * @param iceServers `() => IceServer[]`, the session's STUN/TURN servers
   * @param onEnded called once when the call ends, so that the client forgets it
   */
  constructor({ id, direction, caller, invitees = [], media = "audio", payload = null, expiresAt = 0, waiting = false },
              { commands, me, iceServers, onEnded }) {
    super();
    this.me = me;
    this.#iceServers = iceServers;
    this.id = id;
    this.direction = direction;
    this.caller = caller;
    this.invitees = [...invitees];
    this.media = media;
    this.payload = payload;
    this.expiresAt = expiresAt;
    this.waiting = waiting;
    this.state = "ringing";
    this.roomId = undefined;
    this.startedAt = undefined;
    this.endReason = undefined;
    this.endedBy = undefined;
    this.durationMs = undefined;
    this.cancelReason = undefined;
    this.#commands = commands;
    this.#me = me;
    this.#onEnded = onEnded;
    if (caller) this.#participants.push(caller);
  }

  get participants() { return [...this.#participants]; }
  get heldBy() { return [...this.#heldBy]; }
  get reconnecting() { return [...this.#reconnecting]; }
  get iceServers() { return this.#iceServers(); }

  // ---- commands ------------------------------------------------------------------------------

  async accept(payload) {
    const ok = await this.#send("call.accept", withPayload({}, payload));
    this.answered(ok.roomId);
    return ok.roomId;
  }

  /** This user answered the call (its accept, or its own invite merged into it): active now. */
  answered(roomId) {
    if (this.state === "ended") return;
    this.#becomeActive(roomId);
    this.#addParticipant(this.#me);
    this.emit("change");
  }

  async decline(reason = "refused", payload) {
    await this.#send("call.decline", withPayload({ reason }, payload));
    this.end(reason === "busy" ? "busy" : "declined", this.#me);
  }

  async cancel() {
    await this.#send("call.cancel");
  }

  async hangup() {
    const declining = this.direction === "incoming" && this.state === "ringing";
    await this.#send("call.hangup");
    // A declining invitee gets no call.ended; everyone else does.
    if (declining) this.end("declined", this.#me);
  }

  async hold() {
    await this.#send("call.hold");
  }

  async unhold() {
    await this.#send("call.unhold");
  }

  async signal(to, data) {
    await this.#send("call.signal", { to, data });
  }

  async inviteMore(to) {
    await this.#send("call.invite_more", { to: [...to] });
  }

  #send(type, fields = {}) {
    return this.#commands(type, { callId: this.id, ...fields });
  }

  // ---- events --------------------------------------------------------------------------------

  /** Applies one `call.*` event of this call. */
  apply(event) {
    if (this.state === "ended") return;
    switch (event.type) {
      case "call.ringing":
        this.emit("ringing", event.user);
        break;
      case "call.accepted":
        this.#addParticipant(event.user);
        this.emit("accepted", event.user, event.payload ?? null);
        break;
      case "call.started":
        this.caller ??= event.participants[0];  // a call joined again that this client had forgotten
        this.#participants = [...event.participants];
        this.#becomeActive(event.roomId);
        this.emit("started", event.roomId, this.participants);
        break;
      case "call.declined":
        this.emit("declined", event.user, event.reason, event.payload ?? null);
        break;
      case "call.canceled":
        this.cancelReason = event.reason;
        this.emit("canceled", event.reason);
        this.end(END_REASON_OF_CANCEL[event.reason] ?? "canceled", undefined, 0);
        return;
      case "call.ended":
        this.end(event.reason, event.by, event.durationMs);
        return;
      case "call.hold_changed":
        if (event.held) this.#heldBy.add(event.user);
        else this.#heldBy.delete(event.user);
        this.emit("hold", event.user, event.held);
        break;
      case "call.participant_reconnecting":
        this.#reconnecting.add(event.user);
        this.emit("reconnecting", event.user);
        break;
      case "call.participant_resumed":
        this.#reconnecting.delete(event.user);
        this.emit("resumed", event.user);
        break;
      case "call.participant_joined":
        this.#addParticipant(event.user);
        this.emit("participantJoined", event.user);
        break;
      case "call.participant_left":
        this.#participants = this.#participants.filter((user) => user !== event.user);
        this.#heldBy.delete(event.user);
        this.#reconnecting.delete(event.user);
        this.emit("participantLeft", event.user, event.reason);
        break;
      case "call.signal":
        this.#deliverSignal(event.from, event.data);
        return;  // signaling is not a change of the call
      default:
        return;  // a newer server's event: nothing this version knows to do
    }
    this.emit("change");
  }

  /** Ends the call here; the last event of every call. Later events for it are ignored. */
  end(reason, by, durationMs) {
    if (this.state === "ended") return;
    this.state = "ended";
    this.endReason = reason;
    this.endedBy = by;
    this.durationMs = durationMs ?? (this.startedAt ? Date.now() - this.startedAt : 0);
    this.#unclaimedSignals = [];
    this.#onEnded(this);
    this.emit("ended", reason, by, this.durationMs);
    this.emit("change");
  }

  onSubscribe(event) {
    if (event !== "signal" || this.#unclaimedSignals.length === 0) return;
    // Signals that came before the media layer listened (an offer racing the accept) are not lost.
    const held = this.#unclaimedSignals;
    this.#unclaimedSignals = [];
    queueMicrotask(() => held.forEach(([from, data]) => this.emit("signal", from, data)));
  }

  #deliverSignal(from, data) {
    if (this.hasListeners("signal")) this.emit("signal", from, data);
    else this.#unclaimedSignals.push([from, data]);
  }

  #becomeActive(roomId) {
    if (roomId) this.roomId = roomId;
    if (this.state !== "active") {
      this.state = "active";
      this.startedAt ??= Date.now();
    }
  }

  #addParticipant(user) {
    if (user && !this.#participants.includes(user)) this.#participants.push(user);
  }
}

function withPayload(fields, payload) {
  if (payload !== undefined && payload !== null) fields.payload = payload;
  return fields;
}
