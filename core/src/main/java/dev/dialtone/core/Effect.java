package dev.dialtone.core;

import dev.dialtone.protocol.Event;

/** What a transition asks the world to do. Effects are data; the server carries them out. */
public sealed interface Effect {
    /** Send an event. Effects are carried out in order, so events reach each session in this order. */
    record Send(Target to, Event event) implements Effect {
    }

    /** Deliver {@link Action.Wake} to this call at {@code at} (epoch ms); earlier wake-ups may be dropped. */
    record WakeAt(String callId, long at) implements Effect {
    }
}
