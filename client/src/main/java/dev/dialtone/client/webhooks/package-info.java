/**
 * For your business server: {@link dev.dialtone.client.webhooks.WebhookVerifier} checks the
 * {@code Dialtone-Signature} of the event webhooks and pre-call hook requests that Dialtone sends
 * it. Needs nothing but the JDK.
 */
package dev.dialtone.client.webhooks;
