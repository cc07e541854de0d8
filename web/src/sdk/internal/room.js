// One conference room this client is in, kept up to date from the `room.*` events.

import { Emitter } from "./emitter.js";

export class RoomImpl extends Emitter {
  #commands;
  #onLeft;
  /** handle → participant, in join order (the others; this client is not among them). */
  #participants = new Map();
  /** Set when the session was lost: the client joins again, with this handle, once signed in. */
  rejoinPending = false;

  constructor(name, joinReply, { commands, onLeft }) {
    super();
    this.name = name;
    this.joined = true;
    this.#commands = commands;
    this.#onLeft = onLeft;
    this.reset(joinReply);
  }

  get participants() { return [...this.#participants.values()]; }

  async leave() {
    this.rejoinPending = false;  // a re-join after a lost session must not bring it back
    try {
      await this.#commands("room.leave", { room: this.name });
    } catch (error) {
      // not_found: the server has this session out of the room already (a lost session, D32).
      if (error.code !== "not_found") throw error;
    }
    this.left();
  }

  /** Takes the state of a (re-)join reply: this client's handle and the others. */
  reset(joinReply) {
    this.handle = joinReply.handle;
    this.#participants = new Map(joinReply.participants.map((p) => [p.handle, freeze(p)]));
  }

  apply(event) {
    if (!this.joined) return;
    const known = this.#participants.get(event.handle);
    switch (event.type) {
      case "room.participant_joined": {
        const participant = freeze(event);
        this.#participants.set(participant.handle, participant);
        this.emit("participantJoined", participant, event.payload ?? null);
        break;
      }
      case "room.participant_left":
        this.#participants.delete(event.handle);
        this.emit("participantLeft", known ?? freeze(event), event.reason);
        break;
      case "room.participant_reconnecting":
      case "room.participant_resumed": {
        const participant = freeze({ ...(known ?? event), connected: event.type === "room.participant_resumed" });
        this.#participants.set(participant.handle, participant);
        this.emit(participant.connected ? "participantResumed" : "participantReconnecting", participant);
        break;
      }
      case "room.participant_rejoined": {
        // Same person, new handle: replace the entry in place so their tile does not move.
        const participant = freeze(event);
        const entries = [...this.#participants].map(([handle, p]) =>
          handle === event.originalHandle ? [participant.handle, participant] : [handle, p]);
        this.#participants = new Map(entries);
        this.#participants.set(participant.handle, participant);
        this.emit("participantRejoined", participant, event.originalHandle);
        break;
      }
      default:
        return;
    }
    this.emit("change");
  }

  /** This client is out of the room: left, or the re-join after a lost session failed. */
  left() {
    if (!this.joined) return;
    this.joined = false;
    this.#onLeft(this);
    this.emit("left");
    this.emit("change");
  }
}

function freeze({ user, handle, connected = true }) {
  return Object.freeze({ user, handle, connected });
}
