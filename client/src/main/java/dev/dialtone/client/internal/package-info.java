/**
 * Implementation of the Dialtone SDK; not API. {@link dev.dialtone.client.internal.ClientCore}
 * processes decoded server frames and owns the state (one lock);
 * {@link dev.dialtone.client.internal.SessionState} is what a resume needs;
 * {@link dev.dialtone.client.internal.Transport} is the replaceable connection;
 * {@link dev.dialtone.client.internal.EventQueue} serializes callbacks.
 */
package dev.dialtone.client.internal;
