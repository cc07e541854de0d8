package dev.dialtone.server.webhooks;

/** Why an event was not delivered: the {@code reason} tag of {@code dialtone.webhooks.dropped}. */
enum DropReason {
    /** Published while the queue limit was reached. */
    QUEUE_FULL("queue_full"),
    /** Every attempt failed. */
    ATTEMPTS_EXHAUSTED("attempts_exhausted"),
    /** Published after close began, or still queued when close's deadline passed. */
    SHUTDOWN("shutdown");

    final String tag;

    DropReason(String tag) {
        this.tag = tag;
    }
}
