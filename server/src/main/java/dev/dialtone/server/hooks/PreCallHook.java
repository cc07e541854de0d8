package dev.dialtone.server.hooks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Asks the business server whether something may happen before it happens: "this call may not
 * happen". Consulted for {@link #CALL_INVITE}, {@link #CALL_INVITE_MORE}, {@link #ROOM_JOIN} and,
 * when configured, {@link #CALL_HOLD}; a {@link HookVerdict.Deny} turns into a {@code denied}
 * error carrying the hook's code.
 *
 * <p>Implementations are thread-safe and never block the caller: {@link #check} returns at once.
 */
public interface PreCallHook extends AutoCloseable {
    String CALL_INVITE = "call.invite";
    String CALL_INVITE_MORE = "call.invite_more";
    String ROOM_JOIN = "room.join";
    String CALL_HOLD = "call.hold";

    /** Every action a hook can be asked about. */
    Set<String> ACTIONS = Set.of(CALL_INVITE, CALL_INVITE_MORE, ROOM_JOIN, CALL_HOLD);

    /** No hook configured: never asks, allows everything. */
    PreCallHook ALLOW_ALL = new PreCallHook() {
        @Override
        public boolean asks(String action) {
            return false;
        }

        @Override
        public CompletableFuture<HookVerdict> check(String action, ObjectNode request) {
            requireAction(action);
            return CompletableFuture.completedFuture(HookVerdict.allow());
        }

        @Override
        public String toString() {
            return "PreCallHook.ALLOW_ALL";
        }
    };

    /**
     * Whether {@code action} is sent to the business server. Callers skip the round trip (and keep
     * their fast path) when it is not; {@link #check} then allows at once.
     */
    boolean asks(String action);

    /**
     * Asks about {@code action}; {@code request} describes it (who, whom, which call or room) and is
     * read before this returns, so the caller may reuse it.
     *
     * <p>The future never fails: a hook that cannot be reached gives the configured fail mode's
     * verdict. It completes on a Vert.x event-loop thread (or at once, on the caller's thread, when
     * the hook does not ask): callers continue on their own executor, never with blocking work
     * in a dependent stage.
     *
     * @param action one of {@link #ACTIONS}
     * @throws IllegalArgumentException for any other action
     */
    CompletableFuture<HookVerdict> check(String action, ObjectNode request);

    /** Releases the hook's connections; checks made after this get the fail mode's verdict. */
    @Override
    default void close() {
    }

    /** Throws {@link IllegalArgumentException} unless {@code action} is one of {@link #ACTIONS}. */
    static String requireAction(String action) {
        if (action == null || !ACTIONS.contains(action)) {
            throw new IllegalArgumentException("not a hook action: " + action + " (expected one of " + ACTIONS + ")");
        }
        return action;
    }

    /** The HTTP hook when {@code config} has a URL, otherwise {@link #ALLOW_ALL}. */
    static PreCallHook create(Vertx vertx, HookConfig config, MeterRegistry registry) {
        return config.enabled() ? new HttpPreCallHook(vertx, config, registry) : ALLOW_ALL;
    }
}
