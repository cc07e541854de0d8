// The session link: sign-in, events and acks, resume, re-sent commands, heartbeat, endings.
// Protocol references are to docs/protocol.md.
import { test as nodeTest } from "node:test";
import assert from "node:assert/strict";

import { DialtoneError } from "../src/sdk/dialtone.js";
import { FakeServer, sleep, waitFor } from "./support/fake-server.mjs";
import { AUTH_OK, acceptAuth, dropAndResume, incomingCall, makeClient, outgoingCall, record, signedIn } from "./support/harness.mjs";

/** Every test is bounded: a broken SDK must fail a test, not hang the run. */
const test = (name, fn) => nodeTest(name, { timeout: 5000 }, fn);

// ---- sign-in (§3.1) ----------------------------------------------------------------------------

test("connect() sends auth with the token and device and resolves with the session", async (t) => {
  const server = new FakeServer();
  const client = makeClient(t, server);
  assert.equal(client.state, "idle");
  const connecting = client.connect();
  const auth = await server.expect("auth");
  assert.deepEqual(auth, { type: "auth", id: auth.id, token: "jwt-alice", device: "laptop" });
  assert.equal(typeof auth.id, "string");
  assert.ok(auth.id.length >= 1 && auth.id.length <= 64);
  server.ok(auth, { ...AUTH_OK, missedCalls: 2 });

  const info = await connecting;
  assert.deepEqual(info, {
    session: "s-1", user: "alice", device: "laptop", resumeWindowMs: 60000, heartbeatMs: 15000,
    missedCalls: 2, iceServers: [],
  });
  assert.equal(client.state, "connected");
  assert.deepEqual(client.session, info);
  assert.equal(server.sockets.length, 1);
  assert.equal(server.socket.url, "ws://dialtone.test/v1/ws");
});

test("the session carries the ICE servers of the auth reply", async (t) => {
  const iceServers = [{ urls: ["turn:turn.example.com:3478"], username: "u", credential: "p" }];
  const { info, client } = await signedIn(t, { authFields: { iceServers } });
  assert.deepEqual(info.iceServers, iceServers);
  assert.deepEqual(client.session.iceServers, iceServers);
});

test("auth without a device leaves the field out", async (t) => {
  const server = new FakeServer();
  const client = makeClient(t, server, { device: undefined });
  const connecting = client.connect();
  const auth = await acceptAuth(server, { device: "device-4a97" });
  assert.deepEqual(auth, { type: "auth", id: auth.id, token: "jwt-alice" });
  assert.equal((await connecting).device, "device-4a97");
});

test("a token function is asked for each fresh sign-in, not for a resume", async (t) => {
  let asked = 0;
  const token = async () => `jwt-${++asked}`;
  const { server } = await signedIn(t, { options: { token } });
  assert.equal(server.framesOf("auth")[0].token, "jwt-1");

  await dropAndResume(server);
  assert.equal(asked, 1, "a resume needs no token");

  server.drop();
  const resume = await server.expect("resume");
  server.error(resume, "resume_failed", "cannot resume session s-1: expired", { reason: "expired" });
  const auth = await server.expect("auth");
  assert.equal(auth.token, "jwt-2");
  assert.equal(asked, 2);
});

test("a refused token rejects connect() with unauthorized and closes the client", async (t) => {
  const server = new FakeServer();
  const client = makeClient(t, server);
  const states = record(client, "connectionState");
  const connecting = client.connect();
  const auth = await server.expect("auth");
  server.error(auth, "unauthorized", "token has expired");
  server.close(4401, "token has expired");

  await assert.rejects(connecting, (error) => {
    assert.ok(error instanceof DialtoneError);
    assert.equal(error.code, "unauthorized");
    assert.equal(error.message, "token has expired");
    return true;
  });
  assert.equal(client.state, "closed");
  assert.deepEqual(states, [["connectionState", "connecting"], ["connectionState", "closed"]]);
  await sleep(60);
  assert.equal(server.sockets.length, 1, "no reconnect after a refused sign-in");
});

test("a close 4401 without a reply also rejects connect() with unauthorized", async (t) => {
  const server = new FakeServer();
  const client = makeClient(t, server);
  const connecting = client.connect();
  await server.expect("auth");
  server.close(4401, "no auth or resume within the first-frame deadline");
  await assert.rejects(connecting, { code: "unauthorized" });
  assert.equal(client.state, "closed");
});

test("the first connect to an unreachable server rejects with connection_lost", async (t) => {
  const server = new FakeServer();
  server.refuseConnections = true;
  const client = makeClient(t, server);
  await assert.rejects(client.connect(), (error) => {
    assert.ok(error instanceof DialtoneError);
    assert.equal(error.code, "connection_lost");
    return true;
  });
  assert.equal(client.state, "closed");
  await sleep(60);
  assert.equal(server.sockets.length, 1, "the first connect does not retry behind the app's back");
});

test("connect() twice is refused", async (t) => {
  const { client } = await signedIn(t);
  await assert.rejects(client.connect(), { code: "invalid_state" });
});

// ---- events and acks (§2.3, §3.3) -----------------------------------------------------------

test("each event is delivered once: a repeated or older seq is ignored", async (t) => {
  const { server, client } = await signedIn(t);
  const incoming = record(client, "incoming");
  const invite = (seq, callId) => server.send({
    type: "call.incoming", seq, callId, from: "bob", media: "audio", invitees: ["alice"], expiresAt: 1,
  });
  invite(1, "c-1");
  invite(1, "c-2");  // same seq again
  invite(2, "c-3");
  invite(1, "c-4");  // older
  invite(2, "c-5");  // same again
  invite(3, "c-6");
  await server.settled();
  assert.deepEqual(incoming.map(([, call]) => call.id), ["c-1", "c-3", "c-6"]);
});

test("events are acknowledged in one batch at most 500 ms later", async (t) => {
  const { server } = await signedIn(t);
  const start = Date.now();
  for (let i = 0; i < 3; i++) server.event("call.ringing", { callId: "c-x", user: "bob" });
  const ack = await server.expect("ack", 1000);
  assert.deepEqual(ack, { type: "ack", seq: 3 });
  assert.ok(Date.now() - start <= 650, `ack after ${Date.now() - start} ms`);
  await server.expectNone("ack", 100);
  assert.equal(server.framesOf("ack").length, 1);
});

test("after 32 unacknowledged events the ack goes at once", async (t) => {
  const { server } = await signedIn(t);
  const start = Date.now();
  for (let i = 0; i < 32; i++) server.event("call.ringing", { callId: "c-x", user: "bob" });
  const ack = await server.expect("ack", 1000);
  assert.deepEqual(ack, { type: "ack", seq: 32 });
  assert.ok(Date.now() - start < 300, `the 32nd event waited ${Date.now() - start} ms for its ack`);

  // The batch starts again after it.
  server.event("call.ringing", { callId: "c-x", user: "bob" });
  server.event("call.ringing", { callId: "c-x", user: "bob" });
  assert.deepEqual(await server.expect("ack", 1000), { type: "ack", seq: 34 });
});

test("a repeated seq is not acknowledged again", async (t) => {
  const { server } = await signedIn(t);
  server.event("call.ringing", { callId: "c-x", user: "bob" });
  assert.deepEqual(await server.expect("ack", 1000), { type: "ack", seq: 1 });
  server.send({ type: "call.ringing", seq: 1, callId: "c-x", user: "bob" });
  await server.expectNone("ack", 600);
});

// ---- connection states and resume (§3.2, §3.6) ------------------------------------------------

test("connectionState goes idle → connecting → connected, and reconnecting → connected after a drop", async (t) => {
  const server = new FakeServer();
  const client = makeClient(t, server);
  const states = record(client, "connectionState");
  assert.equal(client.state, "idle");
  const connecting = client.connect();
  assert.equal(client.state, "connecting");
  await acceptAuth(server);
  await connecting;
  assert.deepEqual(states.map(([, s]) => s), ["connecting", "connected"]);

  server.drop();
  await waitFor(() => client.state === "reconnecting");
  const resume = await server.expect("resume");
  assert.equal(client.state, "reconnecting", "still reconnecting until the resume is answered");
  server.ok(resume, { session: "s-1", resumeToken: "t-2", replayed: 0 });
  await waitFor(() => client.state === "connected");
  assert.deepEqual(states.map(([, s]) => s), ["connecting", "connected", "reconnecting", "connected"]);
});

test("a resume names the session, the newest resume token and the last processed seq", async (t) => {
  const { server } = await signedIn(t);
  server.event("call.ringing", { callId: "c-x", user: "bob" });
  server.event("call.ringing", { callId: "c-x", user: "carol" });
  await server.settled();

  const first = await dropAndResume(server, { resumeToken: "t-2" });
  assert.deepEqual(first, { type: "resume", id: first.id, session: "s-1", resumeToken: "t-1", lastSeq: 2 });
  assert.deepEqual(server.socket.frames[0], first, "resume is the first frame on the new socket");

  // A replayed event, then a new one.
  server.send({ type: "call.ringing", seq: 3, callId: "c-x", user: "dave" });
  server.seq = 4;
  server.event("call.ringing", { callId: "c-x", user: "erin" });
  await server.settled();

  const second = await dropAndResume(server, { resumeToken: "t-3" });
  assert.deepEqual(second, { type: "resume", id: second.id, session: "s-1", resumeToken: "t-2", lastSeq: 4 });
  const third = await dropAndResume(server, { resumeToken: "t-4" });
  assert.equal(third.resumeToken, "t-3", "each resume ok rotates the token");
  assert.equal(server.framesOf("auth").length, 1, "a resume is not a new sign-in");
});

test("events replayed after a resume that were processed before are ignored", async (t) => {
  const { server, client } = await signedIn(t);
  const incoming = record(client, "incoming");
  const invite = (seq, callId) => ({ type: "call.incoming", seq, callId, from: "bob", media: "audio", invitees: ["alice"], expiresAt: 1 });
  server.send(invite(1, "c-1"));
  server.send(invite(2, "c-2"));
  await server.settled();
  server.drop();
  const resume = await server.expect("resume");
  assert.equal(resume.lastSeq, 2);
  server.ok(resume, { session: "s-1", resumeToken: "t-2", replayed: 2 });
  // A server that replays too much (a resume racing a late frame): only seq 3 is new.
  server.send(invite(2, "c-2-again"));
  server.send(invite(3, "c-3"));
  await server.settled();
  assert.deepEqual(incoming.map(([, call]) => call.id), ["c-1", "c-2", "c-3"]);
});

test("a command whose reply was lost is sent again after the resume, with the same id", async (t) => {
  const { server, client } = await signedIn(t);
  const listing = client.listCalls();
  const original = await server.expect("calls.list");
  assert.deepEqual(original, { type: "calls.list", id: original.id });

  server.drop();  // the reply never comes on the old socket
  const resume = await server.expect("resume");
  await sleep(20);
  assert.deepEqual(server.socket.frames, [resume], "nothing is sent before the resume is answered");
  server.ok(resume, { session: "s-1", resumeToken: "t-2", replayed: 0 });

  const again = await server.expect("calls.list");
  assert.deepEqual(again, original);
  assert.ok(server.socket.frames.includes(again), "re-sent on the new socket");
  const calls = [{ callId: "c-1", caller: "bob", media: "audio", state: "ringing", createdAt: 1, participants: [] }];
  server.ok(again, { calls });
  assert.deepEqual(await listing, calls);
});

test("a command issued while reconnecting is sent after the resume", async (t) => {
  const { server, client } = await signedIn(t);
  server.drop();
  const resume = await server.expect("resume");
  assert.equal(client.state, "reconnecting");
  const listing = client.listCalls();
  await server.expectNone("calls.list", 30);
  server.ok(resume, { session: "s-1", resumeToken: "t-2", replayed: 0 });

  const list = await server.expect("calls.list");
  assert.equal(server.socket.frames.indexOf(list), 1, "right after the resume");
  server.ok(list, { calls: [] });
  assert.deepEqual(await listing, []);
});

test("commands answered before the drop are not sent again", async (t) => {
  const { server, client } = await signedIn(t);
  const listing = client.listCalls();
  server.ok(await server.expect("calls.list"), { calls: [] });
  await listing;
  await dropAndResume(server);
  await server.expectNone("calls.list", 50);
});

test("resume_failed ends every call with connection_lost, emits sessionEnded and signs in afresh on the same socket", async (t) => {
  const { server, client } = await signedIn(t);
  const incoming = await incomingCall(server, client, { callId: "c-in" });
  const outgoing = await outgoingCall(server, client, { to: "carol", callId: "c-out" });
  const endings = [];
  for (const call of [incoming, outgoing]) call.on("ended", (...args) => endings.push([call.id, ...args]));
  const sessionEnded = record(client, "sessionEnded");
  const states = record(client, "connectionState");

  server.drop();
  const resume = await server.expect("resume");
  const socket = server.socket;
  server.error(resume, "resume_failed", "cannot resume session s-1: expired", { reason: "expired" });

  const auth = await server.expect("auth");
  assert.ok(socket.frames.includes(auth), "auth goes on the socket that carried the resume");
  assert.deepEqual(auth, { type: "auth", id: auth.id, token: "jwt-alice", device: "laptop" });
  assert.deepEqual(endings, [["c-in", "connection_lost", undefined, 0], ["c-out", "connection_lost", undefined, 0]]);
  assert.equal(incoming.endReason, "connection_lost");
  assert.equal(outgoing.state, "ended");
  assert.deepEqual(client.calls, []);
  assert.equal(sessionEnded.length, 1);
  const [, error] = sessionEnded[0];
  assert.ok(error instanceof DialtoneError);
  assert.equal(error.code, "resume_failed");
  assert.equal(error.reason, "expired");

  server.ok(auth, { ...AUTH_OK, session: "s-2", resumeToken: "u-1" });
  await waitFor(() => client.state === "connected");
  assert.equal(client.session.session, "s-2");
  assert.equal(server.sockets.length, 2);
  // docs/sdk-js.md: "signs in again … as a new session (connecting → connected)".
  assert.deepEqual(states.map(([, s]) => s), ["reconnecting", "connecting", "connected"]);

  // The next drop resumes the new session from its own seq counter.
  server.seq = 1;
  server.event("call.ringing", { callId: "c-x", user: "bob" });
  await server.settled();
  const next = await dropAndResume(server);
  assert.deepEqual(next, { type: "resume", id: next.id, session: "s-2", resumeToken: "u-1", lastSeq: 1 });
});

test("resume_failed rejects the commands still waiting with connection_lost", async (t) => {
  const { server, client } = await signedIn(t);
  const listing = client.listCalls();
  await server.expect("calls.list");
  server.drop();
  const resume = await server.expect("resume");
  server.error(resume, "resume_failed", "cannot resume session s-1: unknown", { reason: "unknown" });
  // docs/sdk-js.md, Errors: connection_lost is "the session ended before the reply".
  await assert.rejects(listing, { code: "connection_lost" });
  await acceptAuth(server, { session: "s-2" });
  await waitFor(() => client.state === "connected");
  await server.expectNone("calls.list", 50);
});

test("close 4409 closes the client: waiting commands reject with connection_lost, no reconnect", async (t) => {
  const { server, client } = await signedIn(t);
  const sessionEnded = record(client, "sessionEnded");
  const listing = client.listCalls();
  await server.expect("calls.list");
  server.close(4409, "replaced by a newer login of the same device");

  await assert.rejects(listing, (error) => {
    assert.ok(error instanceof DialtoneError);
    assert.equal(error.code, "connection_lost");
    return true;
  });
  assert.equal(client.state, "closed");
  assert.equal(sessionEnded.length, 1);
  await sleep(80);
  assert.equal(server.sockets.length, 1, "a replaced session does not come back");
  await assert.rejects(client.listCalls(), { code: "connection_lost" });
});

test("other closes are resumed with backoff", async (t) => {
  const { server, client } = await signedIn(t);
  for (const code of [1001, 4408, 1000]) {
    server.close(code, "bye");
    const resume = await server.expect("resume");
    server.ok(resume, { session: "s-1", resumeToken: `t-${code}`, replayed: 0 });
    await waitFor(() => client.state === "connected");
  }
  assert.equal(server.sockets.length, 4);
});

test("reconnect attempts go on while the server is unreachable", async (t) => {
  const { server, client } = await signedIn(t);
  server.refuseConnections = true;
  server.drop();
  await waitFor(() => server.sockets.length >= 4, 1000, "several attempts");
  assert.equal(client.state, "reconnecting");
  server.refuseConnections = false;
  const resume = await server.expect("resume");
  server.ok(resume, { session: "s-1", resumeToken: "t-2", replayed: 0 });
  await waitFor(() => client.state === "connected");
});

// ---- replies (§2.2) ---------------------------------------------------------------------------

test("a command without a reply rejects with timeout", async (t) => {
  const { server, client } = await signedIn(t, { options: { requestTimeoutMs: 100 } });
  const start = Date.now();
  const listing = client.listCalls();
  const list = await server.expect("calls.list");
  await assert.rejects(listing, (error) => {
    assert.ok(error instanceof DialtoneError);
    assert.equal(error.code, "timeout");
    return true;
  });
  assert.ok(Date.now() - start >= 90, "not before requestTimeoutMs");
  server.ok(list, { calls: [] });  // too late: ignored
  await server.settled();
  assert.equal(client.state, "connected");
});

test("an error reply rejects with a DialtoneError carrying code, message and hookCode", async (t) => {
  const { server, client } = await signedIn(t);
  const inviting = client.invite("bob");
  const invite = await server.expect("call.invite");
  server.error(invite, "denied", "Your card has expired.", { hookCode: "CARD_EXPIRED" });
  await assert.rejects(inviting, (error) => {
    assert.ok(error instanceof DialtoneError);
    assert.ok(error instanceof Error);
    assert.equal(error.name, "DialtoneError");
    assert.equal(error.code, "denied");
    assert.equal(error.message, "Your card has expired.");
    assert.equal(error.hookCode, "CARD_EXPIRED");
    return true;
  });

  const listing = client.listCalls();
  server.error(await server.expect("calls.list"), "rate_limited", "too many commands; slow down");
  await assert.rejects(listing, (error) => {
    assert.equal(error.code, "rate_limited");
    assert.equal(error.message, "too many commands; slow down");
    assert.equal("hookCode" in error, false);
    assert.equal("reason" in error, false);
    return true;
  });
});

test("an error reply's reason reaches the DialtoneError", async (t) => {
  const { server, client } = await signedIn(t);
  const listing = client.listCalls();
  server.error(await server.expect("calls.list"), "resume_failed", "cannot resume session s-9: invalid", { reason: "invalid" });
  await assert.rejects(listing, { name: "DialtoneError", code: "resume_failed", reason: "invalid", message: "cannot resume session s-9: invalid" });
});

test("replies are matched by re, whatever their order", async (t) => {
  const { server, client } = await signedIn(t);
  const a = client.history({ limit: 1 });
  const b = client.history({ limit: 2 });
  const first = await server.expect("calls.history");
  const second = await server.expect("calls.history");
  assert.deepEqual(first, { type: "calls.history", id: first.id, limit: 1 });
  assert.notEqual(first.id, second.id);
  server.ok(second, { calls: [{ callId: "c-2" }] });
  server.ok(first, { calls: [{ callId: "c-1" }], next: "n-1" });
  assert.deepEqual(await a, { calls: [{ callId: "c-1" }], next: "n-1" });
  assert.deepEqual(await b, { calls: [{ callId: "c-2" }] });
});

// ---- network changes and heartbeat (§1) -------------------------------------------------------

test("networkChanged() drops the socket and resumes at once on a new one", async (t) => {
  // A long backoff: the resume must not wait for it.
  const { server, client } = await signedIn(t, { options: { reconnectInitialMs: 10_000, reconnectMaxMs: 10_000 } });
  const old = server.socket;
  const start = Date.now();
  client.networkChanged();
  const resume = await server.expect("resume", 500);
  assert.ok(Date.now() - start < 300, `resumed after ${Date.now() - start} ms`);
  assert.deepEqual(old.closedByClient, { code: 1000, reason: "reconnecting" });
  assert.equal(server.sockets.length, 2);
  assert.deepEqual(resume, { type: "resume", id: resume.id, session: "s-1", resumeToken: "t-1", lastSeq: 0 });
  server.ok(resume, { session: "s-1", resumeToken: "t-2", replayed: 0 });
  await waitFor(() => client.state === "connected");
});

test("frames on an abandoned socket are not taken", async (t) => {
  const { server, client } = await signedIn(t);
  const old = server.socket;
  const incoming = record(client, "incoming");
  client.networkChanged();
  await server.expect("resume");
  server.send({ type: "call.incoming", seq: 1, callId: "c-late", from: "bob", media: "audio", invitees: ["alice"], expiresAt: 1 }, old);
  await server.settled();
  assert.deepEqual(incoming, []);
});

test("the client pings every heartbeatMs and keeps a live socket", async (t) => {
  const { server, client } = await signedIn(t, { authFields: { heartbeatMs: 50 } });
  const start = Date.now();
  await waitFor(() => server.framesOf("ping").length >= 3, 1000, "three pings");
  const pings = server.framesOf("ping");
  for (const ping of pings) assert.deepEqual(ping, { type: "ping", id: ping.id });
  assert.equal(new Set(pings.map((p) => p.id)).size, pings.length, "each ping has its own id");
  assert.ok(Date.now() - start >= 130, "one ping per beat, not more");
  await sleep(150);
  assert.equal(server.sockets.length, 1, "a server that answers keeps its socket");
  assert.equal(client.state, "connected");
});

test("a socket silent for two heartbeats is given up and the session resumed on a new one", async (t) => {
  const { server, client } = await signedIn(t, { authFields: { heartbeatMs: 50 } });
  server.answerPings = false;
  const old = server.socket;
  const silentSince = Date.now();
  const resume = await server.expect("resume", 1000);
  const silence = Date.now() - silentSince;
  assert.ok(silence >= 100, `gave up after ${silence} ms, before two heartbeats`);
  assert.ok(server.framesOf("ping").length >= 1, "it pinged before giving up");
  assert.notEqual(server.socket, old);
  assert.ok(old.closedByClient, "the dead socket is closed by the client");
  assert.equal(resume.session, "s-1");
  server.answerPings = true;
  server.ok(resume, { session: "s-1", resumeToken: "t-2", replayed: 0 });
  await waitFor(() => client.state === "connected");
});

// ---- ending (§3.5) ----------------------------------------------------------------------------

test("logout() sends logout and ends in state closed", async (t) => {
  const { server, client } = await signedIn(t);
  const loggingOut = client.logout();
  const logout = await server.expect("logout");
  assert.deepEqual(logout, { type: "logout", id: logout.id });
  server.ok(logout);
  server.close(1000, "logged out");
  await loggingOut;
  assert.equal(client.state, "closed");
  await sleep(50);
  assert.equal(server.sockets.length, 1, "no reconnect after a logout");
});

test("close() ends the calls with connection_lost and rejects waiting commands", async (t) => {
  const { server, client } = await signedIn(t);
  const call = await incomingCall(server, client);
  const ended = record(call, "ended");
  const listing = client.listCalls();
  await server.expect("calls.list");
  client.close();
  assert.equal(client.state, "closed");
  assert.deepEqual(ended, [["ended", "connection_lost", undefined, 0]]);
  assert.equal(call.state, "ended");
  assert.deepEqual(client.calls, []);
  await assert.rejects(listing, { code: "connection_lost" });
  assert.ok(server.socket.closedByClient);
  await sleep(50);
  assert.equal(server.sockets.length, 1);
});

test("a resume refused for now (rate_limited) is tried again on a new socket, and the calls live on", async (t) => {
  const { server, client } = await signedIn(t);
  const call = await incomingCall(server, client, { callId: "c-in" });
  const sessionEnded = record(client, "sessionEnded");

  server.drop();
  const first = await server.expect("resume");
  const refusedOn = server.socket;
  server.error(first, "rate_limited", "too many commands; slow down");

  const second = await server.expect("resume");
  assert.notEqual(server.socket, refusedOn, "the second resume comes on a new socket");
  assert.equal(second.session, "s-1");
  server.ok(second, { session: "s-1", resumeToken: "t-2", replayed: 0 });
  await waitFor(() => client.state === "connected");
  assert.equal(call.state, "ringing");
  assert.deepEqual(client.calls, [call]);
  assert.equal(sessionEnded.length, 0);
  await server.expectNone("auth", 50);
});

test("a second network change while a resume is under way does not cut it off", async (t) => {
  const { server, client } = await signedIn(t);
  client.networkChanged();
  const resume = await server.expect("resume");
  const sockets = server.sockets.length;
  client.networkChanged();  // say, the online event right behind the Network Information change
  await sleep(30);
  assert.equal(server.sockets.length, sockets, "the resume in flight keeps its socket");
  server.ok(resume, { session: "s-1", resumeToken: "t-2", replayed: 0 });
  await waitFor(() => client.state === "connected");
  await server.expectNone("auth", 50);
});

test("a command's time limit waits while the socket is away, and it is answered after the resume", async (t) => {
  const { server, client } = await signedIn(t, { options: { requestTimeoutMs: 150 } });
  const listing = client.listCalls();
  const list = await server.expect("calls.list");
  server.drop();
  const resume = await server.expect("resume");
  await sleep(300);  // twice the time limit, without a socket
  server.ok(resume, { session: "s-1", resumeToken: "t-2", replayed: 0 });
  const resent = await server.expect("calls.list");
  assert.equal(resent.id, list.id);
  server.ok(resent, { calls: [] });
  assert.deepEqual(await listing, []);
});
