// The sign-in dance and other shared steps of the SDK tests, on top of the fake server.
//
// This file has no tests of its own (node --test runs it as an empty file).

import assert from "node:assert/strict";

import { DialtoneClient } from "../../src/sdk/dialtone.js";
import { FakeServer, waitFor } from "./fake-server.mjs";

export const URL = "ws://dialtone.test/v1/ws";

/** The fields of the `auth` ok the fake server gives unless a test says otherwise. */
export const AUTH_OK = Object.freeze({
  session: "s-1",
  resumeToken: "t-1",
  user: "alice",
  device: "laptop",
  resumeWindowMs: 60000,
  heartbeatMs: 15000,
  missedCalls: 0,
});

/** A client wired to `server`, with short timeouts; closed when the test ends. */
export function makeClient(t, server, options = {}) {
  const client = new DialtoneClient({
    url: URL,
    token: "jwt-alice",
    device: "laptop",
    WebSocket: server.WebSocket,
    requestTimeoutMs: 300,
    reconnectInitialMs: 5,
    reconnectMaxMs: 20,
    ...options,
  });
  t.after(() => client.close());
  return client;
}

/** Answers the next `auth` with ok (`AUTH_OK` plus `fields`); returns the auth frame. */
export async function acceptAuth(server, fields = {}) {
  const auth = await server.expect("auth");
  server.ok(auth, { ...AUTH_OK, ...fields });
  return auth;
}

/**
 * A fake server and a client signed in to it as alice. Returns { server, client, info, auth }.
 * `options` go to the client, `authFields` into the auth reply.
 */
export async function signedIn(t, { options = {}, authFields = {} } = {}) {
  const server = new FakeServer();
  const client = makeClient(t, server, options);
  const connecting = client.connect();
  const auth = await acceptAuth(server, authFields);
  const info = await connecting;
  return { server, client, info, auth };
}

/**
 * Drops the current socket and answers the client's `resume` on the next one with ok and a new
 * resume token. Returns the resume frame.
 */
export async function dropAndResume(server, { resumeToken = "t-2", replayed = 0 } = {}) {
  const before = server.sockets.length;
  server.drop();
  const resume = await server.expect("resume");
  assert.equal(server.sockets.length, before + 1, "resume must come on a new socket");
  server.ok(resume, { session: resume.session, resumeToken, replayed });
  return resume;
}

/** Records the events an emitter fires, as [name, ...args] in order. */
export function record(emitter, ...names) {
  const seen = [];
  for (const name of names) emitter.on(name, (...args) => seen.push([name, ...args]));
  return seen;
}

/** Pushes `call.incoming` for callId from `from` and waits for the client's Call. */
export async function incomingCall(server, client, fields = {}) {
  const event = server.event("call.incoming", {
    callId: "c-1", from: "bob", media: "audio", invitees: ["alice"], expiresAt: Date.now() + 30000, ...fields,
  });
  return waitFor(() => client.call(event.callId), 1000, `incoming call ${event.callId}`);
}

/** Places a call to `to` and answers the invite with callId; returns the Call. */
export async function outgoingCall(server, client, { to = "bob", callId = "c-1", media = "audio" } = {}) {
  const inviting = client.invite(to, { media });
  const invite = await server.expect("call.invite");
  server.ok(invite, { callId });
  return inviting;
}
