package dev.dialtone.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.client.Call;
import dev.dialtone.client.CallDirection;
import dev.dialtone.client.ConnectionState;
import dev.dialtone.client.InviteOptions;
import dev.dialtone.protocol.CallSnapshot;
import dev.dialtone.protocol.CallState;
import dev.dialtone.protocol.ParticipantState;
import dev.dialtone.server.DialtoneServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Many calls between several SDK clients while their connections are cut, black-holed and
 * restored at random. Seeded: a failure prints the seed; rerun it with
 * {@code -Ddialtone.chaos.seed=N}. The checker asserts that every client heard each event of each
 * call exactly once and in a possible order, and that every client's final view of every call
 * equals the server's.
 */
class ChaosSoakTest {
    private static final int USERS = 5;
    private static final int STEPS = 150;

    @Test
    void callsSurviveRandomCutsAndBlackHolesWithNothingLostOrDuplicated() throws Exception {
        long seed = Long.getLong("dialtone.chaos.seed", 20261122L);
        Random random = new Random(seed);
        System.out.println("ChaosSoakTest seed " + seed);
        try (DialtoneServer server = DialtoneServer.start(OneToOneCallsTest.config()
                .resumeWindowMs(20_000).heartbeatMs(400).build())) {
            List<ChaosProxy> proxies = new ArrayList<>();
            List<Phone> phones = new ArrayList<>();
            try {
                for (int i = 0; i < USERS; i++) {
                    ChaosProxy proxy = new ChaosProxy(server.port());
                    proxies.add(proxy);
                    phones.add(Phone.signInVia(proxy, server, "soak" + i + "-" + seed));
                }
                Map<Integer, Integer> darkUntil = new HashMap<>();
                for (int step = 0; step < STEPS; step++) {
                    for (Map.Entry<Integer, Integer> dark : new ArrayList<>(darkUntil.entrySet())) {
                        if (dark.getValue() <= step) {
                            proxies.get(dark.getKey()).restore();
                            darkUntil.remove(dark.getKey());
                        }
                    }
                    int who = random.nextInt(USERS);
                    Phone phone = phones.get(who);
                    int roll = random.nextInt(100);
                    if (roll < 8) {
                        proxies.get(who).cut();
                    } else if (roll < 14 && !darkUntil.containsKey(who)) {
                        proxies.get(who).blackHole();
                        proxies.get(who).cut();
                        darkUntil.put(who, step + 2 + random.nextInt(10));
                    } else if (roll < 17) {
                        phone.client.networkChanged();
                    } else {
                        act(phone, phones.get(random.nextInt(USERS)), random);
                    }
                    // Let some traffic through between steps without sleeping blindly.
                    Awaitility.await().pollDelay(Duration.ofMillis(random.nextInt(30))).until(() -> true);
                }
                proxies.forEach(ChaosProxy::restore);
                for (Phone phone : phones) {
                    Awaitility.await().atMost(Duration.ofSeconds(15))
                            .until(() -> phone.client.connectionState() == ConnectionState.CONNECTED);
                }
                for (Phone phone : phones) {
                    assertThat(phone.count("resume-failed")).as("%s resume failures", phone.user).isZero();
                    checkStories(phone);
                    Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertSameView(phone));
                }
                long calls = phones.stream().flatMap(p -> p.heard().stream()).filter(h -> h.what().equals("ended"))
                        .map(Phone.Heard::callId).distinct().count();
                long resumes = phones.stream().mapToLong(p -> p.count("resumed-session")).sum();
                System.out.println("ChaosSoakTest: " + calls + " calls ended, " + resumes + " resumes");
                assertThat(resumes).as("the run exercised resume").isPositive();
                assertThat(calls).as("the run placed calls").isPositive();
            } finally {
                phones.forEach(Phone::close);
                proxies.forEach(ChaosProxy::close);
            }
        }
    }

    /** One random user action; refusals (a race with the other side) are part of the game. */
    private static void act(Phone phone, Phone other, Random random) {
        List<Call> calls = phone.client.calls();
        if (calls.isEmpty()) {
            if (other != phone) {
                phone.client.invite(InviteOptions.to(other.user).timeout(Duration.ofSeconds(3)));
            }
            return;
        }
        Call call = calls.get(random.nextInt(calls.size()));
        int roll = random.nextInt(100);
        if (call.state() == CallState.RINGING) {
            if (call.direction() == CallDirection.INCOMING) {
                if (roll < 70) {
                    call.accept();
                } else {
                    call.decline();
                }
            } else if (roll < 20) {
                call.cancel();
            }
        } else if (call.state() == CallState.ACTIVE) {
            if (roll < 25) {
                call.hangup();
            } else if (call.isHeldBy(phone.user)) {
                call.unhold();
            } else {
                call.hold();
            }
        }
    }

    /** Exactly once and in order: each call's callbacks, as this phone heard them, form a possible story. */
    private static void checkStories(Phone phone) {
        Map<String, List<Phone.Heard>> byCall = new TreeMap<>();
        for (Phone.Heard heard : phone.heard()) {
            if (heard.call() != null) {
                byCall.computeIfAbsent(heard.callId(), id -> new ArrayList<>()).add(heard);
            }
        }
        for (Map.Entry<String, List<Phone.Heard>> entry : byCall.entrySet()) {
            List<String> story = entry.getValue().stream().map(Phone.Heard::what).toList();
            String where = phone.user + " call " + entry.getKey() + " " + story;
            for (String once : List.of("incoming", "started", "ended")) {
                assertThat(story.stream().filter(once::equals).count()).as(where).isLessThanOrEqualTo(1);
            }
            int ended = story.indexOf("ended");
            if (ended >= 0) {
                assertThat(ended).as("nothing after ended: " + where).isEqualTo(story.size() - 1);
            }
            if (story.contains("started") && story.contains("incoming")) {
                assertThat(story.indexOf("incoming")).as(where).isLessThan(story.indexOf("started"));
            }
            int started = story.indexOf("started");
            Map<String, Boolean> held = new HashMap<>();
            Set<String> accepted = new HashSet<>();
            for (int i = 0; i < entry.getValue().size(); i++) {
                Phone.Heard heard = entry.getValue().get(i);
                switch (heard.what()) {
                    case "hold" -> {
                        assertThat(started).as("hold before started: " + where).isBetween(0, i);
                        boolean now = (Boolean) heard.detail();
                        assertThat(now).as("hold changes alternate per user: " + where)
                                .isNotEqualTo(held.getOrDefault(heard.user(), false));
                        held.put(heard.user(), now);
                    }
                    case "accepted" -> assertThat(accepted.add(heard.user())).as(where).isTrue();
                    default -> {
                    }
                }
            }
        }
    }

    /** The phone's calls, state and holds are the server's. */
    private static void assertSameView(Phone phone) {
        List<CallSnapshot> server = phone.client.listCalls().join();
        Map<String, String> serverView = server.stream().collect(Collectors.toMap(CallSnapshot::callId,
                s -> s.state().wire() + " held:" + new TreeSet<>(s.participants().stream()
                        .filter(p -> p.state() == ParticipantState.JOINED && p.held())
                        .map(CallSnapshot.Participant::user).toList())));
        Map<String, String> clientView = phone.client.calls().stream().collect(Collectors.toMap(Call::id,
                c -> c.state().wire() + " held:" + new TreeSet<>(c.heldBy())));
        assertThat(clientView).as(phone.user).isEqualTo(serverView);
    }
}
