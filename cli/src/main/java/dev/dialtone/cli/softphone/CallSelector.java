package dev.dialtone.cli.softphone;

import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Decides which call a command acts on. Without a target: the one call the command fits (an
 * {@code accept} fits a ringing incoming call), or else the only current call (the server then
 * explains why the command does not apply). With a target: the call whose id starts with it
 * (with or without the {@code c-}), or the call with that user.
 */
public final class CallSelector {

    /** The outcome of a selection. */
    public sealed interface Selection {
        /** The call to act on. */
        record Found(CallView call) implements Selection {
        }

        /** No current call the command could act on. */
        record NoCall() implements Selection {
        }

        /** No current call matches the target. */
        record NoMatch(String target) implements Selection {
        }

        /** Several calls qualify: the user has to say which. */
        record Ambiguous(List<CallView> candidates) implements Selection {
        }
    }

    private CallSelector() {
    }

    /**
     * @param calls the current calls, oldest first
     * @param target what the user typed after the command, or null
     * @param fits which calls the command makes sense for
     * @param me the signed-in user, for matching a target by the other user's name
     */
    public static Selection select(List<CallView> calls, String target, Predicate<CallView> fits, String me) {
        if (calls.isEmpty()) {
            return new Selection.NoCall();
        }
        if (target == null) {
            List<CallView> fitting = calls.stream().filter(fits).toList();
            if (fitting.size() == 1) {
                return new Selection.Found(fitting.get(0));
            }
            if (fitting.isEmpty()) {
                return calls.size() == 1 ? new Selection.Found(calls.get(0)) : new Selection.NoCall();
            }
            return new Selection.Ambiguous(fitting);
        }
        List<CallView> matches = calls.stream().filter(call -> matches(call, target, me)).toList();
        if (matches.isEmpty()) {
            return new Selection.NoMatch(target);
        }
        if (matches.size() == 1) {
            return new Selection.Found(matches.get(0));
        }
        List<CallView> fitting = matches.stream().filter(fits).toList();
        return fitting.size() == 1 ? new Selection.Found(fitting.get(0))
                : new Selection.Ambiguous(fitting.isEmpty() ? matches : fitting);
    }

    static boolean matches(CallView call, String target, String me) {
        if (call.id().startsWith(target) || call.id().startsWith("c-" + target)) {
            return true;
        }
        String user = target.toLowerCase(Locale.ROOT);
        return call.peers(me).stream().anyMatch(peer -> peer.toLowerCase(Locale.ROOT).equals(user));
    }
}
