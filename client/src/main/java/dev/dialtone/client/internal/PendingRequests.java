package dev.dialtone.client.internal;

import dev.dialtone.client.DialtoneException;
import dev.dialtone.protocol.Command;
import dev.dialtone.protocol.WireCodec;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The unanswered commands of one session, by id, in sending order, with their timeouts.
 *
 * <ul>
 *   <li>While connected, a command is sent at once and times out after the request timeout.
 *   <li>When the connection is lost, sent commands keep waiting with their timeouts paused
 *       ({@link #connectionLost}); pings are dropped.
 *   <li>While resuming, new commands are queued unsent; their timeouts run (they wait at most the
 *       request timeout).
 *   <li>After a resume, every waiting command — lost reply or queued — is sent (again, same id:
 *       the server answers a re-sent id with its original reply) with a fresh timeout
 *       ({@link #resendAll}).
 * </ul>
 *
 * <p>Not thread-safe: guarded by ClientCore's lock; its scheduler runs tasks under that lock.
 */
final class PendingRequests {
    private static final System.Logger log = System.getLogger(PendingRequests.class.getName());

    private final Scheduler scheduler;
    private final Duration timeout;
    private final WireCodec codec = WireCodec.get();
    private final Map<String, PendingRequest> pending = new LinkedHashMap<>();
    /** Ids of sent {@code call.invite}s that timed out: if the server places the call after all, it is hung up. */
    private final Set<String> abandonedInvites = new HashSet<>();

    /** @param scheduler runs tasks under ClientCore's lock */
    PendingRequests(Scheduler scheduler, Duration timeout) {
        this.scheduler = scheduler;
        this.timeout = timeout;
    }

    /**
     * Registers a command and sends it on {@code link}, or queues it when {@code link} is null
     * (the client is resuming).
     */
    void add(Command command, PendingRequest.Handler handler, boolean resendOnResume, boolean timed,
             Transport.Link link) {
        PendingRequest request = new PendingRequest(command, handler, resendOnResume, timed);
        pending.put(command.id(), request);
        startTimeout(request);
        if (link != null) {
            request.sent = true;
            link.send(codec.encodeCommand(command));
        }
    }

    /** The request answered by a reply with this {@code re}, removed, its timeout cancelled; or null. */
    PendingRequest take(String re) {
        PendingRequest request = re == null ? null : pending.remove(re);
        if (request != null) {
            request.cancelTimeout();
        }
        return request;
    }

    /** Whether {@code re} is a timed-out invite (forgotten by this call). */
    boolean abandonedInvite(String re) {
        return re != null && abandonedInvites.remove(re);
    }

    boolean contains(Class<? extends Command> type) {
        for (PendingRequest request : pending.values()) {
            if (type.isInstance(request.command)) {
                return true;
            }
        }
        return false;
    }

    boolean any(Predicate<Command> matching) {
        for (PendingRequest request : pending.values()) {
            if (matching.test(request.command)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The connection is gone but the session may be resumed: commands that are only good on that
     * connection (pings) are failed; the timeouts of sent commands pause until they are re-sent.
     */
    void connectionLost(String why) {
        for (PendingRequest request : new ArrayList<>(pending.values())) {
            if (!request.resendOnResume) {
                pending.remove(request.command.id());
                request.cancelTimeout();
                request.handler.failed(DialtoneException.connection(request.command.type(), why, null));
            } else if (request.sent) {
                request.cancelTimeout();
            }
        }
    }

    /** After a resume: sends every waiting command, in order, each with a fresh timeout. Returns how many. */
    int resendAll(Transport.Link link) {
        int count = 0;
        for (PendingRequest request : new ArrayList<>(pending.values())) {
            request.cancelTimeout();
            startTimeout(request);
            request.sent = true;
            link.send(codec.encodeCommand(request.command));
            count++;
        }
        return count;
    }

    /** The session ended: removes every request (timeouts cancelled) for the caller to fail. */
    List<PendingRequest> drain() {
        List<PendingRequest> all = new ArrayList<>(pending.values());
        pending.clear();
        for (PendingRequest request : all) {
            request.cancelTimeout();
        }
        return all;
    }

    private void startTimeout(PendingRequest request) {
        if (request.timed) {
            long armed = ++request.timeoutGeneration;
            request.timeout = scheduler.schedule(() -> timedOut(request, armed), timeout.toMillis());
        }
    }

    private void timedOut(PendingRequest request, long armed) {
        if (pending.get(request.command.id()) != request || request.timeoutGeneration != armed) {
            return; // answered, paused, re-armed or drained while this task waited for the lock
        }
        pending.remove(request.command.id());
        request.timeout = null;
        if (request.sent && request.command instanceof Command.CallInvite) {
            abandonedInvites.add(request.command.id());
        }
        log.log(Level.INFO, "{0} {1} timed out after {2,number,#} ms{3}", request.command.type(),
                request.command.id(), timeout.toMillis(), request.sent ? "" : " (queued while resuming)");
        request.handler.failed(DialtoneException.timeout(request.command.type(), timeout));
    }
}
