package dev.dialtone.core;

import dev.dialtone.protocol.ErrorCode;
import java.util.List;

/** The result of applying an action to a call: a transition or a typed rejection. */
public sealed interface Outcome {

    /** The call's new state and the effects to carry out, in order. */
    record Transition(Call call, List<Effect> effects) implements Outcome {
        public Transition {
            effects = List.copyOf(effects);
        }
    }

    /** The action is not allowed; the call is unchanged. */
    record Rejection(ErrorCode code, String message) implements Outcome {
    }
}
