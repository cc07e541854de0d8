package dev.dialtone.core;

/** Who an event goes to, in terms of users and sessions; the server resolves these to sockets. */
public sealed interface Target {
    /** Every session (device) of a user. */
    record User(String user) implements Target {
    }

    /** Every session of a user except one (the device that acted itself). */
    record UserExcept(String user, String exceptSession) implements Target {
    }

    /** One session: the device with which a participant joined. */
    record Session(String user, String session) implements Target {
    }
}
