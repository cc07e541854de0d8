package dev.dialtone.server.calls;

import dev.dialtone.protocol.Reply;

/** Answers one command exactly once. */
@FunctionalInterface
public interface Replier {
    void reply(Reply reply);
}
