package dev.dialtone.core;

/** Who acts: a user (the token's subject, never a claim of the client) and the session it acts from. */
public record Actor(String user, String session) {
    public Actor {
        if (user == null || session == null) {
            throw new IllegalArgumentException("user and session are required");
        }
    }
}
