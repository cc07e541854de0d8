// Conference rooms: room.join/room.leave, the room.* events (docs/protocol.md §6.3–6.5) and the
// re-join with originalHandle after a session that could not be resumed (§6.1, D30).
import { test as nodeTest } from "node:test";
import assert from "node:assert/strict";

import { waitFor } from "./support/fake-server.mjs";
import { AUTH_OK, record, signedIn } from "./support/harness.mjs";

/** Every test is bounded: a broken SDK must fail a test, not hang the run. */
const test = (name, fn) => nodeTest(name, { timeout: 5000 }, fn);

const BOB = { user: "bob", handle: "h-1", connected: true };
const CAROL = { user: "carol", handle: "h-3", connected: false };

/** Joins `standup` as handle h-2, with bob and carol already in it. */
async function joined(server, client, { participants = [BOB, CAROL] } = {}) {
  const joining = client.joinRoom("standup");
  const join = await server.expect("room.join");
  server.ok(join, { room: "standup", handle: "h-2", participants });
  return joining;
}

/** Loses the session (resume_failed) and signs in afresh as s-2; returns the new auth frame. */
async function loseSession(server) {
  server.drop();
  const resume = await server.expect("resume");
  server.error(resume, "resume_failed", "cannot resume session s-1: expired", { reason: "expired" });
  const auth = await server.expect("auth");
  server.ok(auth, { ...AUTH_OK, session: "s-2", resumeToken: "u-1" });
  return auth;
}

test("joinRoom() sends room.join and returns the room with its handle and the others", async (t) => {
  const { server, client } = await signedIn(t);
  const joining = client.joinRoom("standup", { name: "Alice" });
  const join = await server.expect("room.join");
  assert.deepEqual(join, { type: "room.join", id: join.id, room: "standup", payload: { name: "Alice" } });
  server.ok(join, { room: "standup", handle: "h-2", participants: [BOB, CAROL] });

  const room = await joining;
  assert.equal(room.name, "standup");
  assert.equal(room.handle, "h-2");
  assert.equal(room.joined, true);
  assert.deepEqual(room.participants, [BOB, CAROL]);
  assert.ok(Object.isFrozen(room.participants[0]));
  assert.deepEqual(client.rooms, [room]);
});

test("joinRoom() without a payload sends none; joining again returns the same room", async (t) => {
  const { server, client } = await signedIn(t);
  const room = await joined(server, client);
  const again = client.joinRoom("standup");
  const join = await server.expect("room.join");
  assert.deepEqual(join, { type: "room.join", id: join.id, room: "standup" });
  server.ok(join, { room: "standup", handle: "h-2", participants: [BOB, CAROL] });
  assert.equal(await again, room);
  assert.equal(client.rooms.length, 1);
});

test("a refused join creates no room", async (t) => {
  const { server, client } = await signedIn(t);
  const joining = client.joinRoom("board");
  server.error(await server.expect("room.join"), "forbidden", "your token does not allow room board");
  await assert.rejects(joining, { code: "forbidden" });
  assert.deepEqual(client.rooms, []);
});

test("participant_joined and participant_left update the list", async (t) => {
  const { server, client } = await signedIn(t);
  const room = await joined(server, client, { participants: [BOB] });
  const seen = record(room, "participantJoined", "participantLeft", "change");

  server.event("room.participant_joined", { room: "standup", user: "dave", handle: "h-4", payload: { name: "Dave" } });
  await server.settled();
  const dave = { user: "dave", handle: "h-4", connected: true };
  assert.deepEqual(room.participants, [BOB, dave]);
  assert.deepEqual(seen, [["participantJoined", dave, { name: "Dave" }], ["change"]]);

  seen.length = 0;
  server.event("room.participant_left", { room: "standup", user: "bob", handle: "h-1", reason: "left" });
  await server.settled();
  assert.deepEqual(room.participants, [dave]);
  assert.deepEqual(seen, [["participantLeft", BOB, "left"], ["change"]]);
});

test("participant_reconnecting and participant_resumed flip connected in place", async (t) => {
  const { server, client } = await signedIn(t);
  const room = await joined(server, client);
  const seen = record(room, "participantReconnecting", "participantResumed");

  server.event("room.participant_reconnecting", { room: "standup", user: "bob", handle: "h-1" });
  await server.settled();
  assert.deepEqual(room.participants, [{ ...BOB, connected: false }, CAROL]);

  server.event("room.participant_resumed", { room: "standup", user: "carol", handle: "h-3" });
  server.event("room.participant_resumed", { room: "standup", user: "bob", handle: "h-1" });
  await server.settled();
  assert.deepEqual(room.participants, [BOB, { ...CAROL, connected: true }]);
  assert.deepEqual(seen, [
    ["participantReconnecting", { ...BOB, connected: false }],
    ["participantResumed", { ...CAROL, connected: true }],
    ["participantResumed", BOB],
  ]);
});

test("participant_rejoined replaces the old handle in place", async (t) => {
  const { server, client } = await signedIn(t);
  const room = await joined(server, client);
  const seen = record(room, "participantRejoined", "participantJoined", "participantLeft");
  server.event("room.participant_rejoined", { room: "standup", user: "bob", handle: "h-5", originalHandle: "h-1" });
  await server.settled();
  const newBob = { user: "bob", handle: "h-5", connected: true };
  assert.deepEqual(room.participants, [newBob, CAROL], "same place in the list");
  assert.deepEqual(seen, [["participantRejoined", newBob, "h-1"]]);
});

test("participant_rejoined for a handle no longer here adds the participant", async (t) => {
  const { server, client } = await signedIn(t);
  const room = await joined(server, client);
  server.event("room.participant_rejoined", { room: "standup", user: "erin", handle: "h-6", originalHandle: "h-gone" });
  await server.settled();
  assert.deepEqual(room.participants, [BOB, CAROL, { user: "erin", handle: "h-6", connected: true }]);
});

test("events of another room are ignored", async (t) => {
  const { server, client } = await signedIn(t);
  const room = await joined(server, client);
  const changes = record(room, "change");
  server.event("room.participant_joined", { room: "lobby", user: "dave", handle: "h-9" });
  await server.settled();
  assert.deepEqual(changes, []);
  assert.deepEqual(room.participants, [BOB, CAROL]);
});

test("leave() sends room.leave and the room is left", async (t) => {
  const { server, client } = await signedIn(t);
  const room = await joined(server, client);
  const seen = record(room, "left", "change");
  const leaving = room.leave();
  const leave = await server.expect("room.leave");
  assert.deepEqual(leave, { type: "room.leave", id: leave.id, room: "standup" });
  server.ok(leave);
  await leaving;
  assert.equal(room.joined, false);
  assert.deepEqual(seen, [["left"], ["change"]]);
  assert.deepEqual(client.rooms, []);
  server.event("room.participant_joined", { room: "standup", user: "dave", handle: "h-9" });
  await server.settled();
  assert.deepEqual(room.participants, [BOB, CAROL], "a left room takes no events");
});

test("after a resume the client keeps its rooms and does not join again", async (t) => {
  const { server, client } = await signedIn(t);
  const room = await joined(server, client);
  server.drop();
  const resume = await server.expect("resume");
  server.ok(resume, { session: "s-1", resumeToken: "t-2", replayed: 0 });
  await waitFor(() => client.state === "connected");
  await server.expectNone("room.join", 50);
  assert.equal(room.handle, "h-2");
  assert.equal(room.joined, true);
});

test("after resume_failed and a fresh auth the client re-joins with originalHandle and emits resumed", async (t) => {
  const { server, client } = await signedIn(t);
  const room = await joined(server, client);
  const seen = record(room, "resumed", "left", "change");
  await loseSession(server);

  const rejoin = await server.expect("room.join");
  assert.deepEqual(rejoin, { type: "room.join", id: rejoin.id, room: "standup", originalHandle: "h-2" });
  assert.ok(server.framesOf("auth").length === 2 && server.frames.indexOf(rejoin) > server.frames.lastIndexOf(server.framesOf("auth")[1]),
    "the re-join follows the new sign-in");
  const dave = { user: "dave", handle: "h-4", connected: true };
  server.ok(rejoin, { room: "standup", handle: "h-7", participants: [BOB, dave] });

  await waitFor(() => seen.length >= 2);
  assert.deepEqual(seen, [["resumed", "h-7", "h-2"], ["change"]]);
  assert.equal(room.handle, "h-7");
  assert.deepEqual(room.participants, [BOB, dave]);
  assert.equal(room.joined, true);
  assert.deepEqual(client.rooms, [room]);
});

test("a refused re-join emits left", async (t) => {
  const { server, client } = await signedIn(t);
  const room = await joined(server, client);
  const seen = record(room, "resumed", "left");
  await loseSession(server);
  const rejoin = await server.expect("room.join");
  server.error(rejoin, "forbidden", "your token does not allow room standup");
  await waitFor(() => seen.length >= 1);
  assert.deepEqual(seen, [["left"]]);
  assert.equal(room.joined, false);
  assert.deepEqual(client.rooms, []);
});

test("close() leaves every room", async (t) => {
  const { server, client } = await signedIn(t);
  const room = await joined(server, client);
  const left = record(room, "left");
  client.close();
  assert.deepEqual(left, [["left"]]);
  assert.equal(room.joined, false);
  assert.deepEqual(client.rooms, []);
});

test("leave() of a room the server already took this session out of (not_found) still leaves it", async (t) => {
  const { server, client } = await signedIn(t);
  const room = await joined(server, client);
  const leaving = room.leave();
  server.error(await server.expect("room.leave"), "not_found", "you are not in room standup");
  await leaving;
  assert.equal(room.joined, false);
  assert.deepEqual(client.rooms, []);
});
