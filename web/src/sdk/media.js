// WebRTC media for a Dialtone call: one RTCPeerConnection per other participant (a mesh),
// offers/answers and trickle ICE relayed with `call.signal`.
//
// Negotiation follows the "perfect negotiation" pattern: either side offers whenever the browser
// says negotiation is needed; when two offers cross, the polite side (the user id that sorts
// first) yields. So hold, unhold and an added camera all renegotiate the same way. Only the first
// offer has a fixed author: the impolite side. The polite side adds its tracks when that offer
// arrives, so the two never open with crossing offers — the rollback of a first offer is where
// browsers lose ICE candidates.
//
// Hold stops media both ways between a held side and everyone: each side sets its transceivers
// to `inactive` (the SDP then carries no media in either direction) and detaches its tracks at
// once, so nothing is sent even before the renegotiation completes.

import { Emitter } from "./internal/emitter.js";
import { DialtoneError } from "./internal/errors.js";

const KINDS = new Set(["audio", "video"]);

/** The mesh grows quadratically; four people is the most a phone's uplink carries well. */
export const MAX_PARTICIPANTS = 4;

export class CallMedia extends Emitter {
  #options;
  /** user → Peer */
  #peers = new Map();
  #ready;
  #closed = false;
  #unsubscribe = [];
  localStream = null;
  remoteStreams = new Map();
  muted = false;
  cameraOn = false;

  constructor(call, options = {}) {
    super();
    this.call = call;
    this.#options = options;
    // Subscribe first: signals that arrive while the camera starts wait in the peers' queues.
    this.#unsubscribe = [
      call.on("signal", (from, data) => this.#peerFor(from)?.receive(data)),
      call.on("started", (_room, participants) => this.#connectAll(participants)),
      call.on("participantJoined", (user) => this.#connectAll([user])),
      call.on("participantLeft", (user) => this.#disconnect(user)),
      call.on("hold", () => this.#peers.forEach((peer) => peer.applyHold())),
      call.on("ended", () => this.close()),
    ];
    if (call.state === "ended") {
      // Too late: the ended event is gone, and the camera must not be opened for nothing.
      this.#closed = true;
      this.#unsubscribe.forEach((off) => off());
      this.#ready = Promise.reject(new DialtoneError("invalid_state", `call ${call.id} has ended`));
      this.#ready.catch(() => {});
      return;
    }
    this.#ready = this.#openLocalStream();
    this.#ready.then(() => this.#connectAll(call.participants), () => {});
  }

  peer(user) {
    return this.#peers.get(user)?.pc;
  }

  setMuted(muted) {
    this.muted = !!muted;
    this.localStream?.getAudioTracks().forEach((track) => { track.enabled = !this.muted; });
  }

  async setCamera(on) {
    await this.#ready;
    const tracks = this.localStream.getVideoTracks();
    if (on && tracks.length === 0) {
      // An audio call gains video: a new track, and every peer renegotiates to carry it.
      const camera = await getUserMedia({ video: true });
      const [track] = camera.getVideoTracks();
      if (this.#closed) {
        track.stop();  // the call ended while the camera started
        return;
      }
      this.localStream.addTrack(track);
      this.#peers.forEach((peer) => peer.addLocalTrack(track));
      this.emit("localStream", this.localStream);
    }
    this.cameraOn = !!on;
    this.localStream.getVideoTracks().forEach((track) => { track.enabled = this.cameraOn; });
  }

  async stats() {
    const result = new Map();
    for (const [user, peer] of this.#peers) result.set(user, await peer.byteCounts());
    return result;
  }

  close() {
    if (this.#closed) return;
    this.#closed = true;
    this.#unsubscribe.forEach((off) => off());
    this.#peers.forEach((peer) => peer.close());
    this.#peers.clear();
    this.localStream?.getTracks().forEach((track) => track.stop());
  }

  // ---- internals (used by Peer) ----------------------------------------------------------------

  /** Whether media between this client and `user` must stop: either of them holds the call. */
  isPaused(user) {
    const held = this.call.heldBy;
    return held.includes(this.call.me) || held.includes(user);
  }

  whenReady() {
    return this.#ready;
  }

  get iceServers() {
    return this.#options.iceServers ?? this.call.iceServers ?? [];
  }

  sendSignal(user, data) {
    if (this.#closed) return;
    this.call.signal(user, data).catch((error) => {
      // A signal to someone who just left, or on a call that just ended, is expected to fail.
      if (error.code !== "not_found" && error.code !== "invalid_state") this.emit("error", error);
    });
  }

  onRemoteTrack(user, track) {
    let stream = this.remoteStreams.get(user);
    if (!stream) {
      stream = new MediaStream();
      this.remoteStreams.set(user, stream);
    }
    if (!stream.getTracks().includes(track)) stream.addTrack(track);
    this.emit("remoteStream", user, stream);
  }

  // ---- the mesh ------------------------------------------------------------------------------

  async #openLocalStream() {
    try {
      const video = this.call.media === "video";
      this.localStream = this.#options.localStream
        ?? await getUserMedia(this.#options.constraints ?? { audio: true, video });
      this.cameraOn = this.localStream.getVideoTracks().length > 0;
      this.setMuted(this.muted);  // a mute asked for while the microphone was starting
      if (this.#closed) this.localStream.getTracks().forEach((track) => track.stop());
      else this.emit("localStream", this.localStream);
    } catch (error) {
      this.emit("error", error);
      throw error;
    }
  }

  #connectAll(users) {
    if (this.#closed || this.call.state !== "active") return;
    for (const user of users) this.#peerFor(user);
  }

  /** The peer connection with `user`, made on first need (their offer may come first). */
  #peerFor(user) {
    if (this.#closed || user === this.call.me) return undefined;
    let peer = this.#peers.get(user);
    if (!peer) {
      if (this.#peers.size + 1 >= MAX_PARTICIPANTS) {
        this.emit("error", new DialtoneError("full", `a mesh call carries at most ${MAX_PARTICIPANTS} participants`));
        return undefined;
      }
      peer = new Peer(this, user);
      this.#peers.set(user, peer);
    }
    return peer;
  }

  #disconnect(user) {
    const peer = this.#peers.get(user);
    if (!peer) return;
    peer.close();
    this.#peers.delete(user);
    this.remoteStreams.delete(user);
    this.emit("remoteStreamRemoved", user);
  }
}

/** The connection with one other participant. */
class Peer {
  #media;
  #user;
  #polite;
  #tracksAdded = false;
  #makingOffer = false;
  #ignoreOffer = false;
  /** Bytes per RTP stream id, as last seen: a stream's statistics vanish while it is inactive. */
  #bytesSeen = new Map();
  /** Signals are handled one at a time, in order, after the local stream is ready. */
  #queue;

  constructor(media, user) {
    this.#media = media;
    this.#user = user;
    this.#polite = media.call.me < user;
    this.pc = new RTCPeerConnection({ iceServers: media.iceServers });
    this.pc.onnegotiationneeded = () => this.#offer();
    this.pc.onicecandidate = ({ candidate }) => {
      if (candidate) media.sendSignal(user, { candidate: candidate.toJSON() });
    };
    this.pc.ontrack = ({ track }) => media.onRemoteTrack(user, track);
    this.pc.onconnectionstatechange = () => {
      media.emit("peerState", user, this.pc.connectionState);
      if (this.pc.connectionState === "failed") this.pc.restartIce();
    };
    // The impolite side opens; the polite one answers that offer with its tracks (see the top).
    this.#queue = this.#polite ? media.whenReady().catch(() => {})
      : media.whenReady().then(() => this.#addLocalTracks(), () => {});
  }

  receive(data) {
    this.#queue = this.#queue.then(() => this.#handle(data)).catch((error) => this.#media.emit("error", error));
  }

  addLocalTrack(track) {
    // Before this peer's first tracks went in, the track is already in the stream they come from.
    if (!this.#tracksAdded || this.pc.signalingState === "closed") return;
    this.pc.addTrack(track, this.#media.localStream);
    this.applyHold();
  }

  /** Starts or stops sending to this peer as the call's hold state says. */
  applyHold() {
    if (this.pc.signalingState === "closed") return;
    const paused = this.#media.isPaused(this.#user);
    const tracks = this.#media.localStream?.getTracks() ?? [];
    for (const transceiver of this.pc.getTransceivers()) {
      if (transceiver.stopped) continue;
      const wanted = paused ? "inactive" : "sendrecv";
      if (transceiver.direction !== wanted) transceiver.direction = wanted;
      const kind = transceiver.receiver.track?.kind;
      const track = paused ? null : tracks.find((t) => t.kind === kind) ?? null;
      if (transceiver.sender.track !== track) transceiver.sender.replaceTrack(track).catch(() => {});
    }
  }

  /** Bytes so far per kind and direction: never less than before, although streams come and go. */
  async byteCounts() {
    const report = await this.pc.getStats();
    report.forEach((entry) => {
      const bytes = entry.type === "outbound-rtp" ? entry.bytesSent
        : entry.type === "inbound-rtp" ? entry.bytesReceived : undefined;
      if (bytes === undefined || !KINDS.has(entry.kind)) return;
      const key = `${entry.type} ${entry.kind} ${entry.ssrc ?? entry.id}`;
      this.#bytesSeen.set(key, Math.max(bytes, this.#bytesSeen.get(key) ?? 0));
    });
    const counts = { audio: { sent: 0, received: 0 }, video: { sent: 0, received: 0 } };
    for (const [key, bytes] of this.#bytesSeen) {
      const [type, kind] = key.split(" ");
      counts[kind][type === "outbound-rtp" ? "sent" : "received"] += bytes;
    }
    return counts;
  }

  close() {
    this.pc.close();
  }

  /** Once per peer: later tracks (a camera turned on) come through addLocalTrack. */
  #addLocalTracks() {
    const stream = this.#media.localStream;
    if (this.#tracksAdded || !stream || this.pc.signalingState === "closed") return;
    this.#tracksAdded = true;
    for (const track of stream.getTracks()) this.pc.addTrack(track, stream);
    this.applyHold();
  }

  async #offer() {
    try {
      this.#makingOffer = true;
      await this.pc.setLocalDescription();
      this.#media.sendSignal(this.#user, { description: this.pc.localDescription.toJSON() });
    } catch (error) {
      this.#media.emit("error", error);
    } finally {
      this.#makingOffer = false;
    }
  }

  async #handle(data) {
    if (this.pc.signalingState === "closed") return;
    if (data?.description) {
      const description = data.description;
      const collision = description.type === "offer"
        && (this.#makingOffer || this.pc.signalingState !== "stable");
      this.#ignoreOffer = !this.#polite && collision;
      if (this.#ignoreOffer) return;
      await this.pc.setRemoteDescription(description);
      if (description.type === "offer") {
        this.#addLocalTracks();  // the polite side's first answer carries its tracks; later, a no-op
        await this.pc.setLocalDescription();
        this.#media.sendSignal(this.#user, { description: this.pc.localDescription.toJSON() });
        this.applyHold();
      }
    } else if (data?.candidate) {
      try {
        await this.pc.addIceCandidate(data.candidate);
      } catch (error) {
        if (!this.#ignoreOffer) throw error;  // candidates of an offer we ignored may not fit
      }
    }
  }
}

function getUserMedia(constraints) {
  if (!globalThis.navigator?.mediaDevices?.getUserMedia) {
    return Promise.reject(new DialtoneError("unavailable", "this browser cannot capture media (a secure origin is needed)"));
  }
  return navigator.mediaDevices.getUserMedia(constraints);
}
