/**
 * The Dialtone Java SDK: {@link dev.dialtone.client.DialtoneClient} (built with its builder),
 * {@link dev.dialtone.client.DialtoneListener} for events, {@link dev.dialtone.client.Call} for
 * each call (one-to-one or group), {@link dev.dialtone.client.Room} for each conference room, and
 * the immutable values around them. Wire values (media, reasons, error codes, call
 * snapshots) are the protocol module's types in {@code dev.dialtone.protocol}.
 *
 * <p>Everything in {@code dev.dialtone.client.internal} is implementation, not API: it may change
 * in any release.
 */
package dev.dialtone.client;
