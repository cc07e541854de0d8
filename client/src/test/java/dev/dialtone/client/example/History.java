package dev.dialtone.client.example;

import dev.dialtone.client.DialtoneClient;
import dev.dialtone.client.HistoryPage;
import dev.dialtone.client.SessionInfo;
import dev.dialtone.protocol.CallOutcome;
import dev.dialtone.protocol.CallRecord;
import java.net.URI;
import java.time.Instant;

/**
 * Prints how many calls the user missed while away, then their whole call history, a page at a
 * time, with missed calls marked.
 *
 * <pre>
 * DIALTONE_TOKEN=$(./dialtone token alice) java … History ws://localhost:8080/v1/ws
 * </pre>
 */
public final class History {

    public static void main(String[] args) {
        URI server = URI.create(args.length > 0 ? args[0] : "ws://localhost:8080/v1/ws");
        try (DialtoneClient client = DialtoneClient.builder()
                .uri(server)
                .tokenSupplier(() -> System.getenv("DIALTONE_TOKEN"))
                .build()) {
            SessionInfo session = client.connect().join();
            session.missedCalls().ifPresent(n -> System.out.println("You missed " + n + " calls while away."));

            String cursor = null;
            do {
                HistoryPage page = client.history(50, cursor).join();
                for (CallRecord call : page.calls()) {
                    String mark = call.outcome() == CallOutcome.MISSED ? "✗ missed" : call.outcome().wire();
                    String other = call.caller().equals(session.user())
                            ? "to " + call.invitees().get(0).user() : "from " + call.caller();
                    System.out.printf("%s  %-9s %s call %s, %d s (%s)%n", Instant.ofEpochMilli(call.createdAt()), mark,
                            call.media().wire(), other, call.durationMs() / 1000, call.endReason().wire());
                }
                cursor = page.next();
            } while (cursor != null);
        }
    }
}
