// Type declarations for the Dialtone JavaScript SDK (dialtone.js and media.js).
// The SDK is a plain ES module: import it straight from a Dialtone server,
//   import { DialtoneClient, CallMedia } from "/sdk/dialtone.js";
// or copy web/src/sdk/ into your application. No build step, no dependencies.

/** What a handler registered with `on` receives; `on` returns a function that removes it. */
export type Unsubscribe = () => void;

export type Media = "audio" | "video";
export type CallState = "ringing" | "active" | "ended";
export type CallDirection = "outgoing" | "incoming";
export type ConnectionState =
  /** Not yet connected: `connect()` was not called. */
  | "idle"
  /** Opening a socket and signing in (first time, or afresh after the session was lost). */
  | "connecting"
  /** Signed in; commands go through. */
  | "connected"
  /** The socket dropped; the SDK resumes the same session (calls and events kept). */
  | "reconnecting"
  /** For good: `close()`, `logout()`, sign-in refused, or the session replaced (close code 4409). */
  | "closed";

export type EndReason =
  | "hangup" | "canceled" | "declined" | "busy" | "no_answer" | "offline"
  | "forced" | "connection_lost" | "unhold_failed";
export type DeclineReason = "refused" | "busy" | "no_answer" | "offline";
export type CancelReason = "canceled" | "no_answer" | "answered_elsewhere" | "declined_elsewhere";
export type LeaveReason = "hangup" | "connection_lost" | "forced";
export type RoomLeaveReason = "left" | "connection_lost" | "forced";
export type Outcome = "outgoing" | "answered" | "missed" | "declined" | "busy";

/** An error code of the protocol (`error` replies), or one of the SDK's own. */
export type ErrorCode =
  | "bad_request" | "unauthorized" | "not_found" | "invalid_state" | "busy" | "denied"
  | "rate_limited" | "not_holder" | "forbidden" | "full" | "resume_failed"
  | "unavailable" | "internal"
  /** SDK: no reply within `requestTimeoutMs`. */
  | "timeout"
  /** SDK: the session was lost before the reply came, or the client was closed. */
  | "connection_lost";

/** Every rejected promise of the SDK rejects with a DialtoneError. */
export class DialtoneError extends Error {
  readonly code: ErrorCode | string;
  /** The business hook's own code, when a hook denied the command (always a string, e.g. "CARD_EXPIRED" or "40301"). */
  readonly hookCode?: string;
  /** For `resume_failed`: `expired`, `unknown` or `invalid`. */
  readonly reason?: string;
}

/** An ICE server as `RTCPeerConnection` takes it, from the server's configuration. */
export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

export interface SessionInfo {
  session: string;
  user: string;
  device: string;
  resumeWindowMs: number;
  heartbeatMs: number;
  /** Calls this user missed since their previous session ended; undefined when the server could not tell. */
  missedCalls?: number;
  /** STUN/TURN servers for this session (may be empty). */
  iceServers: IceServer[];
}

export interface ClientOptions {
  /** The server's WebSocket address, e.g. `ws://localhost:8080/v1/ws`. */
  url: string;
  /**
   * A JWT for `auth`, or a function that returns one (or a promise of one). A function is asked
   * again whenever the SDK must sign in afresh, so that an expired token can be replaced.
   */
  token: string | (() => string | Promise<string>);
  /** A name for this device (shown to nobody; lets one user sign in on several devices). */
  device?: string;
  /** How long a command waits for its reply (default 10 000 ms). */
  requestTimeoutMs?: number;
  /** Reconnect backoff: first delay and cap (defaults 250 ms and 5 000 ms), with jitter. */
  reconnectInitialMs?: number;
  reconnectMaxMs?: number;
  /** The WebSocket constructor (default `globalThis.WebSocket`); for tests and other runtimes. */
  WebSocket?: { new (url: string): WebSocket };
}

export interface InviteOptions {
  media?: Media;
  /** Any JSON object up to 8 KiB, handed to the invitees. */
  payload?: object;
  /** How long the invite rings, 1 000–120 000 ms (server default 30 000). */
  timeoutMs?: number;
}

export interface CallSnapshot {
  callId: string;
  caller: string;
  media: Media;
  state: CallState;
  roomId?: string;
  createdAt: number;
  participants: { user: string; state: string; held: boolean; connected: boolean }[];
}

export interface CallRecord {
  callId: string;
  caller: string;
  invitees: { user: string; outcome: Outcome }[];
  media: Media;
  createdAt: number;
  answeredAt?: number;
  endedAt: number;
  endReason: EndReason;
  /** The user whose action ended the call, when one did. */
  endedBy?: string;
  /** The media room, when the call was answered. */
  roomId?: string;
  durationMs: number;
  /** What the call was for this user. */
  outcome: Outcome;
}

export interface HistoryPage {
  calls: CallRecord[];
  /** Pass to `history({ before })` for the next (older) page; absent on the last page. */
  next?: string;
}

export interface CallEvents {
  /** The invite reached at least one device of `user` (caller side). */
  ringing: (user: string) => void;
  accepted: (user: string, payload: unknown) => void;
  /** The call became active for this device: start the media now. */
  started: (roomId: string, participants: string[]) => void;
  /** An invitee did not join (caller side). */
  declined: (user: string, reason: DeclineReason, payload: unknown) => void;
  /** An incoming call stopped ringing here without this device acting; `ended` follows. */
  canceled: (reason: CancelReason) => void;
  /** The final event of a call. */
  ended: (reason: EndReason, by: string | undefined, durationMs: number) => void;
  hold: (user: string, held: boolean) => void;
  reconnecting: (user: string) => void;
  resumed: (user: string) => void;
  /** Data relayed by `from` with `call.signal`. Buffered until the first handler is registered. */
  signal: (from: string, data: unknown) => void;
  participantJoined: (user: string) => void;
  participantLeft: (user: string, reason: LeaveReason) => void;
  /** After any of the above: the call's fields changed (handy for re-rendering a screen). */
  change: () => void;
}

export interface Call {
  readonly id: string;
  /** This client's own user id. */
  readonly me: string;
  /** The session's STUN/TURN servers, for the media layer. */
  readonly iceServers: IceServer[];
  readonly direction: CallDirection;
  readonly caller: string;
  /** The users the caller invited, as this client first learned of the call. */
  readonly invitees: string[];
  readonly media: Media;
  readonly payload: unknown;
  /** Incoming: when it stops ringing (epoch ms); 0 for an outgoing call. */
  readonly expiresAt: number;
  /** Incoming: this user is already in a call and the server rings anyway. */
  readonly waiting: boolean;
  readonly state: CallState;
  readonly roomId?: string;
  /** Joined users, the caller first. */
  readonly participants: string[];
  /** Users who hold the call now (both sides may hold at once). */
  readonly heldBy: string[];
  /** Users whose connection dropped and who are expected back. */
  readonly reconnecting: string[];
  /** Local time (epoch ms) the call became active here; undefined before. */
  readonly startedAt?: number;
  readonly endReason?: EndReason;
  readonly endedBy?: string;
  readonly durationMs?: number;
  readonly cancelReason?: CancelReason;

  /** Answers an incoming call; resolves with the room id. */
  accept(payload?: object): Promise<string>;
  decline(reason?: "refused" | "busy", payload?: object): Promise<void>;
  /** Caller, before anyone answered. */
  cancel(): Promise<void>;
  /** Works in every state: cancel, decline, or hang up / leave. */
  hangup(): Promise<void>;
  hold(): Promise<void>;
  unhold(): Promise<void>;
  /** Relays `data` (any JSON up to 64 KiB) to participant `to`. */
  signal(to: string, data: unknown): Promise<void>;
  /** Rings more users into an active call. */
  inviteMore(to: string[]): Promise<void>;
  on<K extends keyof CallEvents>(event: K, handler: CallEvents[K]): Unsubscribe;
}

export interface RoomParticipant {
  readonly user: string;
  readonly handle: string;
  readonly connected: boolean;
}

export interface RoomEvents {
  participantJoined: (participant: RoomParticipant, payload: unknown) => void;
  participantLeft: (participant: RoomParticipant, reason: RoomLeaveReason) => void;
  participantReconnecting: (participant: RoomParticipant) => void;
  participantResumed: (participant: RoomParticipant) => void;
  /** A participant whose session was lost joined again under a new handle. */
  participantRejoined: (participant: RoomParticipant, originalHandle: string) => void;
  /** This client's session was lost and it joined again under `handle`. */
  resumed: (handle: string, originalHandle: string) => void;
  /** This client is no longer in the room. */
  left: () => void;
  change: () => void;
}

export interface Room {
  readonly name: string;
  readonly handle: string;
  readonly participants: RoomParticipant[];
  readonly joined: boolean;
  leave(): Promise<void>;
  on<K extends keyof RoomEvents>(event: K, handler: RoomEvents[K]): Unsubscribe;
}

export interface ClientEvents {
  connectionState: (state: ConnectionState) => void;
  /** Another user calls. Answer with `call.accept()` / `call.decline()`, or let it ring. */
  incoming: (call: Call) => void;
  /** A call appeared in `calls` (incoming or outgoing). */
  call: (call: Call) => void;
  /** The session ended for good or was replaced by a new one; `closed` carries why. */
  sessionEnded: (error: DialtoneError) => void;
}

export class DialtoneClient {
  constructor(options: ClientOptions);
  readonly state: ConnectionState;
  /** The current session, once connected. */
  readonly session: SessionInfo | null;
  /** Calls that have not ended. */
  readonly calls: Call[];
  readonly rooms: Room[];
  /** Opens the connection and signs in; resolves once signed in. */
  connect(): Promise<SessionInfo>;
  call(callId: string): Call | undefined;
  /** Calls one user (string) or several (a group call). */
  invite(to: string | string[], options?: InviteOptions): Promise<Call>;
  /** Joins again an active call this user was invited to (declined, missed or left). */
  joinCall(callId: string): Promise<Call>;
  joinRoom(room: string, payload?: object): Promise<Room>;
  history(options?: { limit?: number; before?: string }): Promise<HistoryPage>;
  listCalls(): Promise<CallSnapshot[]>;
  /** The network changed (Wi-Fi to cellular, say): drop the socket now and resume on a new one. */
  networkChanged(): void;
  /** Ends the session: its calls end as if hung up. */
  logout(): Promise<void>;
  /** Closes the socket without ending the session (it ends by itself after the resume window). */
  close(): void;
  on<K extends keyof ClientEvents>(event: K, handler: ClientEvents[K]): Unsubscribe;
}

// ---- media.js --------------------------------------------------------------------------------

export interface CallMediaOptions {
  /** Use this stream instead of asking for the microphone (and camera for a video call). */
  localStream?: MediaStream;
  /** Constraints for getUserMedia (default: audio, plus video for a video call). */
  constraints?: MediaStreamConstraints;
  /** Overrides the session's ICE servers. */
  iceServers?: IceServer[];
}

export interface CallMediaEvents {
  /** The local stream is ready (after getUserMedia). */
  localStream: (stream: MediaStream) => void;
  /** Media from `user` arrived, or its tracks changed (video added, say). */
  remoteStream: (user: string, stream: MediaStream) => void;
  /** `user` left: remove their tile. */
  remoteStreamRemoved: (user: string) => void;
  /** The peer connection with `user` changed state (`connected`, `disconnected`, `failed`…). */
  peerState: (user: string, state: RTCPeerConnectionState) => void;
  error: (error: Error) => void;
}

/** The most participants a CallMedia mesh carries (4); beyond, it emits an `error` with code `full`. */
export const MAX_PARTICIPANTS: number;

/**
 * Drives WebRTC for one call: a peer connection per other participant (a mesh, up to 4 people),
 * offers/answers and trickle ICE over `call.signal`, hold (no media flows to or from a held
 * side) and renegotiation when video is added. Create it when the call is accepted or started;
 * it closes itself when the call ends.
 */
export class CallMedia {
  constructor(call: Call, options?: CallMediaOptions);
  readonly call: Call;
  readonly localStream: MediaStream | null;
  readonly remoteStreams: Map<string, MediaStream>;
  readonly muted: boolean;
  readonly cameraOn: boolean;
  /** The peer connection with `user`, if any (for getStats and diagnostics). */
  peer(user: string): RTCPeerConnection | undefined;
  /** Stops or restarts sending sound. */
  setMuted(muted: boolean): void;
  /** Turns the camera off or on; on an audio call, turning it on adds video (renegotiates). */
  setCamera(on: boolean): Promise<void>;
  /** Bytes sent to and received from each peer so far, per kind. */
  stats(): Promise<Map<string, { audio: ByteCounts; video: ByteCounts }>>;
  /** Stops the local tracks and closes every peer connection. */
  close(): void;
  on<K extends keyof CallMediaEvents>(event: K, handler: CallMediaEvents[K]): Unsubscribe;
}

export interface ByteCounts {
  sent: number;
  received: number;
}
