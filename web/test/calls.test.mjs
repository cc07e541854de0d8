// Calls as the SDK keeps them: commands, the call.* events (docs/protocol.md §4.11, §5.6) and the
// SDK's own guarantees (exactly one `ended`, early events, buffered signals, robust handlers).
import { test as nodeTest } from "node:test";
import assert from "node:assert/strict";

import { waitFor } from "./support/fake-server.mjs";
import { incomingCall, outgoingCall, record, signedIn } from "./support/harness.mjs";

/** Every test is bounded: a broken SDK must fail a test, not hang the run. */
const test = (name, fn) => nodeTest(name, { timeout: 5000 }, fn);

const ALL_CALL_EVENTS = [
  "ringing", "accepted", "started", "declined", "canceled", "ended", "hold", "reconnecting", "resumed",
  "participantJoined", "participantLeft", "change",
];

/** An active one-to-one call alice → bob (c-1, room r-1). */
async function activeCall(server, client) {
  const call = await outgoingCall(server, client);
  server.event("call.accepted", { callId: call.id, user: "bob" });
  server.event("call.started", { callId: call.id, roomId: "r-1", participants: ["alice", "bob"] });
  await waitFor(() => call.state === "active");
  return call;
}

// ---- placing a call (§4.2) ------------------------------------------------------------------

test("invite() sends call.invite and returns an outgoing ringing call", async (t) => {
  const { server, client } = await signedIn(t);
  const announced = record(client, "call");
  const inviting = client.invite("bob", { media: "video", payload: { topic: "support" }, timeoutMs: 20000 });
  const invite = await server.expect("call.invite");
  assert.deepEqual(invite, {
    type: "call.invite", id: invite.id, to: ["bob"], media: "video", payload: { topic: "support" }, timeoutMs: 20000,
  });
  server.ok(invite, { callId: "c-1" });

  const call = await inviting;
  assert.equal(call.id, "c-1");
  assert.equal(call.direction, "outgoing");
  assert.equal(call.caller, "alice");
  assert.equal(call.me, "alice");
  assert.deepEqual(call.invitees, ["bob"]);
  assert.equal(call.media, "video");
  assert.deepEqual(call.payload, { topic: "support" });
  assert.equal(call.state, "ringing");
  assert.deepEqual(call.participants, ["alice"]);
  assert.deepEqual(call.heldBy, []);
  assert.equal(call.roomId, undefined);
  assert.equal(client.call("c-1"), call);
  assert.deepEqual(client.calls, [call]);
  assert.deepEqual(announced, [["call", call]]);
});

test("invite() of several users sends them all in to, with audio by default", async (t) => {
  const { server, client } = await signedIn(t);
  const inviting = client.invite(["bob", "carol"]);
  const invite = await server.expect("call.invite");
  assert.deepEqual(invite, { type: "call.invite", id: invite.id, to: ["bob", "carol"], media: "audio" });
  server.ok(invite, { callId: "c-1" });
  const call = await inviting;
  assert.deepEqual(call.invitees, ["bob", "carol"]);
  assert.equal(call.media, "audio");
  assert.equal(call.payload, null);
});

test("a refused invite creates no call", async (t) => {
  const { server, client } = await signedIn(t);
  const inviting = client.invite("bob");
  server.error(await server.expect("call.invite"), "busy", "your call c-0 is still ringing");
  await assert.rejects(inviting, { code: "busy" });
  assert.deepEqual(client.calls, []);
});

// ---- events of a call (§4.11) -----------------------------------------------------------------

test("call events update the call's fields and fire the matching event, then change", async (t) => {
  const { server, client } = await signedIn(t);
  const call = await outgoingCall(server, client);
  const seen = record(call, ...ALL_CALL_EVENTS);
  const next = async (type, fields) => {
    seen.length = 0;
    server.event(type, { callId: "c-1", ...fields });
    await server.settled();
    return [...seen];
  };

  assert.deepEqual(await next("call.ringing", { user: "bob" }), [["ringing", "bob"], ["change"]]);
  assert.equal(call.state, "ringing");

  assert.deepEqual(await next("call.accepted", { user: "bob", payload: { camera: "front" } }),
    [["accepted", "bob", { camera: "front" }], ["change"]]);
  assert.deepEqual(call.participants, ["alice", "bob"]);

  const before = Date.now();
  assert.deepEqual(await next("call.started", { roomId: "r-1", participants: ["alice", "bob"] }),
    [["started", "r-1", ["alice", "bob"]], ["change"]]);
  assert.equal(call.state, "active");
  assert.equal(call.roomId, "r-1");
  assert.ok(call.startedAt >= before && call.startedAt <= Date.now());

  assert.deepEqual(await next("call.hold_changed", { user: "alice", held: true }), [["hold", "alice", true], ["change"]]);
  assert.deepEqual(call.heldBy, ["alice"]);
  await next("call.hold_changed", { user: "bob", held: true });
  assert.deepEqual(call.heldBy, ["alice", "bob"]);
  assert.deepEqual(await next("call.hold_changed", { user: "alice", held: false }), [["hold", "alice", false], ["change"]]);
  assert.deepEqual(call.heldBy, ["bob"]);
  assert.equal(call.state, "active", "a held call stays active");

  assert.deepEqual(await next("call.participant_reconnecting", { user: "bob" }), [["reconnecting", "bob"], ["change"]]);
  assert.deepEqual(call.reconnecting, ["bob"]);
  assert.deepEqual(await next("call.participant_resumed", { user: "bob" }), [["resumed", "bob"], ["change"]]);
  assert.deepEqual(call.reconnecting, []);

  assert.deepEqual(await next("call.ended", { reason: "hangup", by: "bob", durationMs: 2928 }),
    [["ended", "hangup", "bob", 2928], ["change"]]);
  assert.equal(call.state, "ended");
  assert.equal(call.endReason, "hangup");
  assert.equal(call.endedBy, "bob");
  assert.equal(call.durationMs, 2928);
  assert.equal(client.call("c-1"), undefined, "an ended call is forgotten");
  assert.deepEqual(client.calls, []);
});

test("call.declined is reported to the caller without ending the call by itself", async (t) => {
  const { server, client } = await signedIn(t);
  const call = await outgoingCall(server, client, { to: ["bob", "carol"] });
  const seen = record(call, "declined", "ended");
  server.event("call.declined", { callId: "c-1", user: "bob", reason: "busy", payload: { note: "in a meeting" } });
  server.event("call.declined", { callId: "c-1", user: "carol", reason: "offline" });
  await server.settled();
  assert.deepEqual(seen, [["declined", "bob", "busy", { note: "in a meeting" }], ["declined", "carol", "offline", null]]);
  assert.equal(call.state, "ringing");
  server.event("call.ended", { callId: "c-1", reason: "declined", durationMs: 0 });
  await server.settled();
  assert.deepEqual(seen.at(-1), ["ended", "declined", undefined, 0]);
});

test("an incoming call is announced with caller, media, payload, invitees, expiresAt and waiting", async (t) => {
  const { server, client } = await signedIn(t);
  const incoming = record(client, "incoming");
  const announced = record(client, "call");
  server.event("call.incoming", {
    callId: "c-1", from: "carol", media: "video", payload: { topic: "planning" }, invitees: ["alice", "dave"],
    expiresAt: 1767225630000, waiting: true,
  });
  server.event("call.incoming", { callId: "c-2", from: "bob", media: "audio", invitees: ["alice"], expiresAt: 1767225640000 });
  await server.settled();

  assert.equal(incoming.length, 2);
  const [[, call], [, plain]] = incoming;
  assert.deepEqual(announced.map(([, c]) => c), [call, plain]);
  assert.equal(call.id, "c-1");
  assert.equal(call.direction, "incoming");
  assert.equal(call.caller, "carol");
  assert.equal(call.me, "alice");
  assert.equal(call.media, "video");
  assert.deepEqual(call.payload, { topic: "planning" });
  assert.deepEqual(call.invitees, ["alice", "dave"]);
  assert.equal(call.expiresAt, 1767225630000);
  assert.equal(call.waiting, true);
  assert.equal(call.state, "ringing");
  assert.deepEqual(call.participants, ["carol"]);
  assert.equal(client.call("c-1"), call);

  assert.equal(plain.waiting, false);
  assert.equal(plain.payload, null);
  assert.deepEqual(client.calls, [call, plain]);
});

test("the same call.incoming delivered again does not make a second call", async (t) => {
  const { server, client } = await signedIn(t);
  const incoming = record(client, "incoming");
  const fields = { callId: "c-1", from: "bob", media: "audio", invitees: ["alice"], expiresAt: 1 };
  server.event("call.incoming", fields);
  server.event("call.incoming", fields);
  await server.settled();
  assert.equal(incoming.length, 1);
  assert.equal(client.calls.length, 1);
});

// ---- answering (§4.3, §4.4, §4.6) -------------------------------------------------------------

test("accept() sends call.accept and resolves with the room id; the call is active", async (t) => {
  const { server, client } = await signedIn(t);
  const call = await incomingCall(server, client);
  const changes = record(call, "change");
  const accepting = call.accept({ camera: "front" });
  const accept = await server.expect("call.accept");
  assert.deepEqual(accept, { type: "call.accept", id: accept.id, callId: "c-1", payload: { camera: "front" } });
  server.ok(accept, { callId: "c-1", roomId: "r-1" });

  assert.equal(await accepting, "r-1");
  assert.equal(call.state, "active");
  assert.equal(call.roomId, "r-1");
  assert.ok(call.startedAt > 0);
  assert.deepEqual(call.participants, ["bob", "alice"]);
  assert.equal(changes.length, 1);

  const started = record(call, "started");
  server.event("call.started", { callId: "c-1", roomId: "r-1", participants: ["bob", "alice"] });
  await server.settled();
  assert.deepEqual(started, [["started", "r-1", ["bob", "alice"]]]);
  assert.equal(call.state, "active");
});

test("accept() without a payload sends none", async (t) => {
  const { server, client } = await signedIn(t);
  const call = await incomingCall(server, client);
  const accepting = call.accept();
  const accept = await server.expect("call.accept");
  assert.deepEqual(accept, { type: "call.accept", id: accept.id, callId: "c-1" });
  server.ok(accept, { callId: "c-1", roomId: "r-1" });
  await accepting;
});

test("a refused accept leaves the call as it was", async (t) => {
  const { server, client } = await signedIn(t);
  const call = await incomingCall(server, client);
  const accepting = call.accept();
  server.error(await server.expect("call.accept"), "invalid_state", "call c-1 has ended (canceled by bob)");
  await assert.rejects(accepting, { code: "invalid_state", message: "call c-1 has ended (canceled by bob)" });
  assert.equal(call.state, "ringing");
});

test("decline() ends the call here as declined by me and forgets it", async (t) => {
  const { server, client } = await signedIn(t);
  const call = await incomingCall(server, client);
  const seen = record(call, "ended", "change");
  const declining = call.decline();
  const decline = await server.expect("call.decline");
  assert.deepEqual(decline, { type: "call.decline", id: decline.id, callId: "c-1", reason: "refused" });
  assert.equal(call.state, "ringing", "not before the ok");
  server.ok(decline);
  await declining;

  assert.deepEqual(seen, [["ended", "declined", "alice", 0], ["change"]]);
  assert.equal(call.state, "ended");
  assert.equal(call.endReason, "declined");
  assert.equal(call.endedBy, "alice");
  assert.equal(call.durationMs, 0);
  assert.equal(client.call("c-1"), undefined);
  assert.deepEqual(client.calls, []);
});

test("decline('busy') ends the call as busy and passes the payload", async (t) => {
  const { server, client } = await signedIn(t);
  const call = await incomingCall(server, client);
  const ended = record(call, "ended");
  const declining = call.decline("busy", { note: "in a meeting" });
  const decline = await server.expect("call.decline");
  assert.deepEqual(decline, { type: "call.decline", id: decline.id, callId: "c-1", reason: "busy", payload: { note: "in a meeting" } });
  server.ok(decline);
  await declining;
  assert.deepEqual(ended, [["ended", "busy", "alice", 0]]);
  assert.equal(call.endReason, "busy");
  assert.deepEqual(client.calls, []);
});

test("call.canceled ends an incoming call with the matching end reason and keeps cancelReason", async (t) => {
  const { server, client } = await signedIn(t);
  const cases = [
    ["canceled", "canceled"],
    ["answered_elsewhere", "canceled"],
    ["no_answer", "no_answer"],
    ["declined_elsewhere", "declined"],
  ];
  for (const [cancelReason, endReason] of cases) {
    const call = await incomingCall(server, client, { callId: `c-${cancelReason}` });
    const seen = record(call, "canceled", "ended");
    server.event("call.canceled", { callId: call.id, reason: cancelReason });
    await server.settled();
    assert.deepEqual(seen, [["canceled", cancelReason], ["ended", endReason, undefined, 0]], cancelReason);
    assert.equal(call.state, "ended");
    assert.equal(call.endReason, endReason);
    assert.equal(call.cancelReason, cancelReason);
    assert.equal(call.endedBy, undefined);
    assert.equal(client.call(call.id), undefined);
  }
});

test("hangup() while an incoming call rings ends it here as declined by me", async (t) => {
  const { server, client } = await signedIn(t);
  const call = await incomingCall(server, client);
  const ended = record(call, "ended");
  const hangingUp = call.hangup();
  const hangup = await server.expect("call.hangup");
  assert.deepEqual(hangup, { type: "call.hangup", id: hangup.id, callId: "c-1" });
  server.ok(hangup);
  await hangingUp;
  assert.deepEqual(ended, [["ended", "declined", "alice", 0]]);
  assert.deepEqual(client.calls, []);
});

test("hangup() of an active call ends it with the server's call.ended", async (t) => {
  const { server, client } = await signedIn(t);
  const call = await activeCall(server, client);
  const ended = record(call, "ended");
  const hangingUp = call.hangup();
  const hangup = await server.expect("call.hangup");
  server.ok(hangup);
  await hangingUp;
  assert.equal(call.state, "active", "the reply alone does not end it");
  server.event("call.ended", { callId: "c-1", reason: "hangup", by: "alice", durationMs: 1500 });
  await server.settled();
  assert.deepEqual(ended, [["ended", "hangup", "alice", 1500]]);
});

test("cancel(), hold(), unhold() and signal() send their commands", async (t) => {
  const { server, client } = await signedIn(t);
  const call = await activeCall(server, client);
  const commands = [
    [() => call.hold(), { type: "call.hold", callId: "c-1" }],
    [() => call.unhold(), { type: "call.unhold", callId: "c-1" }],
    [() => call.signal("bob", { candidate: "a=1" }), { type: "call.signal", callId: "c-1", to: "bob", data: { candidate: "a=1" } }],
    [() => call.inviteMore(["carol"]), { type: "call.invite_more", callId: "c-1", to: ["carol"] }],
    [() => call.cancel(), { type: "call.cancel", callId: "c-1" }],
  ];
  for (const [send, expected] of commands) {
    const sending = send();
    const frame = await server.expect(expected.type);
    assert.deepEqual(frame, { ...expected, id: frame.id });
    server.ok(frame);
    assert.equal(await sending, undefined);
  }
});

test("every call gets exactly one ended, even when call.ended follows a local end", async (t) => {
  const { server, client } = await signedIn(t);
  const call = await incomingCall(server, client);
  const ended = record(call, "ended");
  const declining = call.decline();
  server.ok(await server.expect("call.decline"));
  await declining;
  server.event("call.ended", { callId: "c-1", reason: "declined", by: "alice", durationMs: 0 });
  server.event("call.canceled", { callId: "c-1", reason: "canceled" });
  await server.settled();

  // And after call.canceled, the server's own call.ended changes nothing either.
  const other = await incomingCall(server, client, { callId: "c-2" });
  const otherEnded = record(other, "ended");
  server.event("call.canceled", { callId: "c-2", reason: "canceled" });
  server.event("call.ended", { callId: "c-2", reason: "hangup", by: "bob", durationMs: 5 });
  await server.settled();
  client.close();

  assert.deepEqual(ended, [["ended", "declined", "alice", 0]]);
  assert.equal(call.endReason, "declined");
  assert.deepEqual(otherEnded, [["ended", "canceled", undefined, 0]]);
  assert.equal(other.endReason, "canceled");
});

test("a decline answered after call.canceled ended the call does not end it again", async (t) => {
  const { server, client } = await signedIn(t);
  const call = await incomingCall(server, client);
  const ended = record(call, "ended");
  const declining = call.decline();
  const decline = await server.expect("call.decline");
  server.event("call.canceled", { callId: "c-1", reason: "canceled" });
  server.ok(decline);
  await declining;
  assert.deepEqual(ended, [["ended", "canceled", undefined, 0]]);
  assert.equal(call.endReason, "canceled");
});

test("glare: an invite merged into the ringing incoming call returns that same call, active", async (t) => {
  const { server, client } = await signedIn(t);
  const incoming = await incomingCall(server, client, { callId: "c-7", from: "bob" });
  const announced = record(client, "call");
  const inviting = client.invite("bob");
  const invite = await server.expect("call.invite");
  server.ok(invite, { callId: "c-7", merged: true, roomId: "r-7" });
  const call = await inviting;
  assert.equal(call, incoming);
  assert.deepEqual(client.calls, [incoming]);
  assert.deepEqual(announced, [], "no new call");
  // docs/sdk-js.md: "invite() resolves with the incoming call object, already active".
  assert.equal(call.state, "active");
  assert.equal(call.roomId, "r-7");
  assert.ok(call.participants.includes("alice"));

  server.event("call.started", { callId: "c-7", roomId: "r-7", participants: ["bob", "alice"] });
  await server.settled();
  assert.equal(call.state, "active");
  assert.deepEqual(call.participants, ["bob", "alice"]);
});

test("events of a call that come before the invite's reply are applied once the call is known", async (t) => {
  const { server, client } = await signedIn(t);
  const inviting = client.invite("bob");
  const invite = await server.expect("call.invite");
  // The reply is lost with the socket; the resume replays the call's events, then the re-sent
  // invite is answered (docs/protocol.md §2.4, §3.2).
  server.drop();
  const resume = await server.expect("resume");
  server.ok(resume, { session: "s-1", resumeToken: "t-2", replayed: 3 });
  const resent = await server.expect("call.invite");
  assert.deepEqual(resent, invite);
  server.event("call.ringing", { callId: "c-1", user: "bob" });
  server.event("call.accepted", { callId: "c-1", user: "bob" });
  server.event("call.started", { callId: "c-1", roomId: "r-1", participants: ["alice", "bob"] });
  server.event("call.hold_changed", { callId: "c-1", user: "bob", held: true });
  server.ok(resent, { callId: "c-1" });

  const call = await inviting;
  // They reach a listener the application registers as soon as it has the call.
  const seen = record(call, "ringing", "started", "hold");
  await waitFor(() => call.heldBy.length === 1);
  assert.deepEqual(seen.map(([name]) => name), ["ringing", "started", "hold"]);
  assert.equal(call.id, "c-1");
  assert.equal(call.direction, "outgoing");
  assert.equal(call.state, "active");
  assert.equal(call.roomId, "r-1");
  assert.deepEqual(call.participants, ["alice", "bob"]);
  assert.deepEqual(call.heldBy, ["bob"]);
  assert.deepEqual(client.calls, [call]);
});

test("a call that ended in events before the invite's reply still tells the application how it ended", async (t) => {
  const { server, client } = await signedIn(t);
  const inviting = client.invite("bob");
  const invite = await server.expect("call.invite");
  server.event("call.declined", { callId: "c-1", user: "bob", reason: "busy" });
  server.event("call.ended", { callId: "c-1", reason: "busy", durationMs: 0 });
  server.ok(invite, { callId: "c-1" });
  const call = await inviting;
  const endings = record(call, "ended");  // the application still hears how it ended, once
  await waitFor(() => call.state === "ended");
  assert.deepEqual(endings, [["ended", "busy", undefined, 0]]);
  assert.equal(call.endReason, "busy");
  assert.deepEqual(client.calls, []);
});

test("signal data that arrives before any signal listener is delivered, in order, to the first one", async (t) => {
  const { server, client } = await signedIn(t);
  const call = await activeCall(server, client);
  const changes = record(call, "change");
  server.event("call.signal", { callId: "c-1", from: "bob", data: { description: { type: "offer", sdp: "v=0" } } });
  server.event("call.signal", { callId: "c-1", from: "bob", data: { candidate: "a=1" } });
  server.event("call.signal", { callId: "c-1", from: "bob", data: { candidate: "a=2" } });
  await server.settled();
  assert.deepEqual(changes, [], "signaling is not a change of the call");

  const first = [];
  call.on("signal", (from, data) => first.push([from, data]));
  await waitFor(() => first.length === 3);
  assert.deepEqual(first, [
    ["bob", { description: { type: "offer", sdp: "v=0" } }],
    ["bob", { candidate: "a=1" }],
    ["bob", { candidate: "a=2" }],
  ]);

  const second = [];
  call.on("signal", (from, data) => second.push([from, data]));
  server.event("call.signal", { callId: "c-1", from: "bob", data: { candidate: "a=3" } });
  await server.settled();
  assert.deepEqual(first.at(-1), ["bob", { candidate: "a=3" }]);
  assert.deepEqual(second, [["bob", { candidate: "a=3" }]], "a later listener gets only new signals");
});

test("participant_joined and participant_left update the participants", async (t) => {
  const { server, client } = await signedIn(t);
  const call = await outgoingCall(server, client, { to: ["bob", "carol"] });
  server.event("call.started", { callId: "c-1", roomId: "r-1", participants: ["alice", "bob"] });
  await waitFor(() => call.state === "active");
  const seen = record(call, "participantJoined", "participantLeft", "change");

  server.event("call.participant_joined", { callId: "c-1", user: "carol" });
  await server.settled();
  assert.deepEqual(call.participants, ["alice", "bob", "carol"]);
  assert.deepEqual(seen, [["participantJoined", "carol"], ["change"]]);

  server.event("call.hold_changed", { callId: "c-1", user: "bob", held: true });
  server.event("call.participant_reconnecting", { callId: "c-1", user: "bob" });
  server.event("call.participant_left", { callId: "c-1", user: "bob", reason: "connection_lost" });
  await server.settled();
  assert.deepEqual(call.participants, ["alice", "carol"]);
  assert.deepEqual(call.heldBy, [], "who left holds nothing");
  assert.deepEqual(call.reconnecting, []);
  assert.deepEqual(seen.slice(-2), [["participantLeft", "bob", "connection_lost"], ["change"]]);
  assert.equal(call.state, "active");
});

test("an unknown event type is ignored and the next events still work", async (t) => {
  const { server, client } = await signedIn(t);
  const call = await outgoingCall(server, client);
  const seen = record(call, ...ALL_CALL_EVENTS);
  server.event("call.teleported", { callId: "c-1", to: "mars" });
  server.event("presence.changed", { user: "bob", online: true });
  server.event("room.renamed", { room: "standup", name: "daily" });
  server.event("call.ringing", { callId: "c-1", user: "bob" });
  await server.settled();
  assert.deepEqual(seen, [["ringing", "bob"], ["change"]]);
  assert.equal(call.state, "ringing");
  assert.deepEqual(await server.expect("ack", 1000), { type: "ack", seq: 4 });
});

test("a handler that throws stops neither the other handlers nor the SDK", async (t) => {
  // The emitter rethrows a handler's error in a later task, for the console; catch it here.
  const runnerListeners = process.listeners("uncaughtException");
  const thrown = [];
  process.removeAllListeners("uncaughtException");
  process.on("uncaughtException", (error) => thrown.push(error));
  t.after(() => {
    process.removeAllListeners("uncaughtException");
    for (const listener of runnerListeners) process.on("uncaughtException", listener);
  });

  const { server, client } = await signedIn(t);
  client.on("incoming", () => { throw new Error("app bug in incoming"); });
  const alsoIncoming = record(client, "incoming");
  const call = await incomingCall(server, client);
  assert.equal(alsoIncoming.length, 1, "the second incoming handler ran");

  call.on("hold", () => { throw new Error("app bug in hold"); });
  const holds = record(call, "hold", "change");
  server.event("call.hold_changed", { callId: "c-1", user: "bob", held: true });
  server.event("call.canceled", { callId: "c-1", reason: "canceled" });
  await server.settled();
  assert.deepEqual(holds, [["hold", "bob", true], ["change"], ["change"]]);
  assert.deepEqual(call.heldBy, ["bob"]);
  assert.equal(call.state, "ended", "the SDK went on with the next event");

  await waitFor(() => thrown.length === 2);
  assert.deepEqual(thrown.map((e) => e.message), ["app bug in incoming", "app bug in hold"]);
  assert.equal(client.state, "connected");
});

test("joinCall after declining brings the call back active, and its started event reaches the application", async (t) => {
  const { server, client } = await signedIn(t);
  const declined = await incomingCall(server, client, { callId: "c-g", from: "bob", invitees: ["alice", "carol"], media: "video" });
  const declining = declined.decline();
  server.ok(await server.expect("call.decline"));
  await declining;
  assert.equal(declined.state, "ended");

  const joining = client.joinCall("c-g");
  const join = await server.expect("call.join");
  assert.deepEqual(join, { type: "call.join", id: join.id, callId: "c-g" });
  server.ok(join, { callId: "c-g", roomId: "r-g" });
  server.event("call.started", { callId: "c-g", roomId: "r-g", participants: ["bob", "carol", "alice"] });
  server.ok(await server.expect("calls.list"), { calls: [{ callId: "c-g", caller: "bob", media: "video", state: "active",
    createdAt: 1, participants: [{ user: "bob", state: "joined", held: false, connected: true }] }] });
  const call = await joining;
  const started = record(call, "started");

  await waitFor(() => started.length === 1);
  assert.notEqual(call, declined);
  assert.equal(call.state, "active");
  assert.equal(call.roomId, "r-g");
  assert.equal(call.caller, "bob");
  assert.equal(call.media, "video");
  assert.deepEqual(call.participants, ["bob", "carol", "alice"]);
  assert.deepEqual(client.calls, [call]);
});
