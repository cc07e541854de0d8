package dev.dialtone.server.webhooks;

/**
 * One event as it waits in its lane: the envelope already serialized (so the caller's payload is
 * not read again later), and what the headers and logs need. Immutable.
 *
 * @param publishedNanos {@link System#nanoTime()} at publish, for the delivery latency
 */
record WebhookEvent(String id, String type, String key, long seq, long createdAt, byte[] body, long publishedNanos) {
}
