package dev.dialtone.server.e2e;

import static dev.dialtone.server.e2e.OneToOneCallsTest.failure;
import static dev.dialtone.server.e2e.OneToOneCallsTest.json;
import static dev.dialtone.server.e2e.OneToOneCallsTest.name;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dialtone.client.ConnectionState;
import dev.dialtone.client.DialtoneException;
import dev.dialtone.client.Room;
import dev.dialtone.client.RoomParticipant;
import dev.dialtone.protocol.CloseCodes;
import dev.dialtone.protocol.ErrorCode;
import dev.dialtone.protocol.ResumeFailure;
import dev.dialtone.protocol.RoomLeaveReason;
import dev.dialtone.server.DialtoneServer;
import dev.dialtone.server.ServerConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Conferences end to end: SDK clients join and leave named rooms on a running server, lose their
 * connection through a proxy, and come back after the server itself restarted (conference resume:
 * a new handle, reported with the original one).
 */
class ConferenceTest {
    /** Long enough for the outages the tests stage, short enough to test a loss for good quickly. */
    private static final long WINDOW_MS = 2_000;
    private static final int CAPACITY = 3;
    private static DialtoneServer server;

    @BeforeAll
    static void start() {
        server = DialtoneServer.start(OneToOneCallsTest.config().roomCapacity(CAPACITY).roomEmptyTimeoutMs(200)
                .resumeWindowMs(WINDOW_MS).heartbeatMs(1_000).build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Phone.InRoom in(Phone.Heard heard) {
        return (Phone.InRoom) heard.detail();
    }

    /** The first room callback of a kind about the room {@code room} and, when not null, the participant's user. */
    private static Phone.Heard awaitRoom(Phone phone, String what, String room, String user) {
        return phone.await(what, h -> in(h).room().name().equals(room) && (user == null || user.equals(h.user())));
    }

    private static Phone.Heard awaitLong(Phone phone, String what, Predicate<Phone.Heard> matching) {
        return Awaitility.await().atMost(Duration.ofMillis(WINDOW_MS * 4)).until(
                () -> phone.heard().stream().filter(h -> h.what().equals(what) && matching.test(h)).findFirst()
                        .orElse(null), h -> h != null);
    }

    /** The room callbacks a phone heard, in order, as {@code kind user}. */
    private static List<String> roomStory(Phone phone, String room) {
        return phone.heard().stream().filter(h -> h.what().startsWith("room-") && in(h).room().name().equals(room))
                .map(h -> h.what() + (h.user() == null ? "" : " " + h.user())).toList();
    }

    private static void assertRoomStory(Phone phone, String room, List<String> expected) {
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> roomStory(phone, room).size() >= expected.size());
        Awaitility.await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertThat(roomStory(phone, room)).as(phone.user).isEqualTo(expected);
    }

    private static RoomParticipant participant(String user, String handle) {
        return new RoomParticipant(user, handle, true);
    }

    @Test
    void participantsJoinAndLeaveAndEveryoneSeesTheSameHandles() {
        String room = name("standup");
        try (Phone alice = Phone.signIn(server, name("alice"));
             Phone bob = Phone.signIn(server, name("bob"));
             Phone carol = Phone.signIn(server, name("carol"))) {
            Room aliceRoom = alice.client.joinRoom(room, json("displayName", "Alice")).join();
            assertThat(aliceRoom.name()).isEqualTo(room);
            assertThat(aliceRoom.handle()).startsWith("h-");
            assertThat(aliceRoom.participants()).isEmpty();
            assertThat(aliceRoom.isJoined()).isTrue();
            assertThat(alice.client.rooms()).containsExactly(aliceRoom);

            Room bobRoom = bob.client.joinRoom(room, json("displayName", "Bob")).join();
            assertThat(bobRoom.handle()).startsWith("h-").isNotEqualTo(aliceRoom.handle());
            assertThat(bobRoom.participants()).containsExactly(participant(alice.user, aliceRoom.handle()));
            Phone.Heard bobJoined = awaitRoom(alice, "room-joined", room, bob.user);
            assertThat(in(bobJoined).room()).isSameAs(aliceRoom);
            assertThat(in(bobJoined).participant()).isEqualTo(participant(bob.user, bobRoom.handle()));
            assertThat(((JsonNode) in(bobJoined).info()).path("displayName").asText()).isEqualTo("Bob");
            assertThat(bobJoined.extra()).isEqualTo(List.of(participant(bob.user, bobRoom.handle())));

            Room carolRoom = carol.client.joinRoom(room).join();
            assertThat(carolRoom.participants()).containsExactly(participant(alice.user, aliceRoom.handle()),
                    participant(bob.user, bobRoom.handle()));
            assertThat(in(awaitRoom(alice, "room-joined", room, carol.user)).info()).isNull();
            awaitRoom(bob, "room-joined", room, carol.user);
            assertThat(aliceRoom.participants()).containsExactly(participant(bob.user, bobRoom.handle()),
                    participant(carol.user, carolRoom.handle()));
            assertThat(bobRoom.participants()).containsExactly(participant(alice.user, aliceRoom.handle()),
                    participant(carol.user, carolRoom.handle()));

            // Joining again from the same client is the same room, same handle.
            String bobHandle = bobRoom.handle();
            assertThat(bob.client.joinRoom(room).join()).isSameAs(bobRoom);
            assertThat(bobRoom.handle()).isEqualTo(bobHandle);

            // Bob leaves: the future completes, then onRoomLeft; the others hear it with his handle.
            bobRoom.leave().join();
            assertThat(in(awaitRoom(bob, "room-self-left", room, null)).room()).isSameAs(bobRoom);
            assertThat(bobRoom.isJoined()).isFalse();
            assertThat(bob.client.rooms()).isEmpty();
            for (Phone phone : List.of(alice, carol)) {
                Phone.Heard left = awaitRoom(phone, "room-left", room, bob.user);
                assertThat(in(left).participant().handle()).isEqualTo(bobRoom.handle());
                assertThat(in(left).info()).isEqualTo(RoomLeaveReason.LEFT);
            }
            assertThat(aliceRoom.participants()).containsExactly(participant(carol.user, carolRoom.handle()));
            DialtoneException again = failure(() -> bobRoom.leave().join());
            assertThat(again.code()).isEqualTo(ErrorCode.NOT_FOUND);

            // Back in: a new Room object and a new handle.
            Room bobBack = bob.client.joinRoom(room).join();
            assertThat(bobBack).isNotSameAs(bobRoom);
            assertThat(bobBack.handle()).isNotEqualTo(bobRoom.handle());
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> aliceRoom.participants().size() == 2);
            assertThat(aliceRoom.participants()).containsExactly(participant(carol.user, carolRoom.handle()),
                    participant(bob.user, bobBack.handle()));

            assertRoomStory(alice, room, List.of("room-joined " + bob.user, "room-joined " + carol.user,
                    "room-left " + bob.user, "room-joined " + bob.user));
            assertRoomStory(bob, room, List.of("room-joined " + carol.user, "room-self-left"));
        }
    }

    @Test
    void oneUserOnTwoDevicesIsTwoParticipantsWithTwoHandles() {
        String room = name("devices");
        String bobName = name("bob");
        try (Phone alice = Phone.signIn(server, name("alice"));
             Phone bobPhone = Phone.signIn(server, bobName, "phone");
             Phone bobLaptop = Phone.signIn(server, bobName, "laptop")) {
            Room aliceRoom = alice.client.joinRoom(room).join();
            Room onPhone = bobPhone.client.joinRoom(room).join();
            Room onLaptop = bobLaptop.client.joinRoom(room).join();
            assertThat(onLaptop.handle()).isNotEqualTo(onPhone.handle());
            assertThat(onLaptop.participants()).containsExactly(participant(alice.user, aliceRoom.handle()),
                    participant(bobName, onPhone.handle()));
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> aliceRoom.participants().size() == 2);
            onPhone.leave().join();
            Phone.Heard left = awaitRoom(alice, "room-left", room, bobName);
            assertThat(in(left).participant().handle()).isEqualTo(onPhone.handle());
            assertThat(aliceRoom.participants()).containsExactly(participant(bobName, onLaptop.handle()));
        }
    }

    @Test
    void aFullRoomRefusesTheNextParticipantUntilSomeoneLeaves() {
        String room = name("small");
        try (Phone a = Phone.signIn(server, name("a"));
             Phone b = Phone.signIn(server, name("b"));
             Phone c = Phone.signIn(server, name("c"));
             Phone d = Phone.signIn(server, name("d"))) {
            Room aRoom = a.client.joinRoom(room).join();
            b.client.joinRoom(room).join();
            c.client.joinRoom(room).join();
            DialtoneException full = failure(() -> d.client.joinRoom(room).join());
            assertThat(full.code()).isEqualTo(ErrorCode.FULL);
            assertThat(full.kind()).isEqualTo(DialtoneException.Kind.REJECTED);
            assertThat(d.client.rooms()).isEmpty();
            assertThat(a.heard().stream().filter(h -> h.what().equals("room-joined") && d.user.equals(h.user())))
                    .isEmpty();

            aRoom.leave().join();
            Room dRoom = d.client.joinRoom(room).join();
            assertThat(dRoom.participants()).extracting(RoomParticipant::user).containsExactly(b.user, c.user);
        }
    }

    @Test
    void aTokensRoomsClaimDecidesWhichRoomsItsUserMayJoin() {
        String user = name("guest");
        String team = name("team");
        String token = server.tokens().sign(user, Duration.ofMinutes(5), List.of(team + "-*", "lobby-" + team));
        try (Phone guest = Phone.withToken(server, user, token)) {
            guest.client.connect().join();
            Room teamRoom = guest.client.joinRoom(team + "-42").join();
            Room lobby = guest.client.joinRoom("lobby-" + team).join();
            DialtoneException forbidden = failure(() -> guest.client.joinRoom("board-" + team).join());
            assertThat(forbidden.code()).isEqualTo(ErrorCode.FORBIDDEN);
            assertThat(forbidden.kind()).isEqualTo(DialtoneException.Kind.REJECTED);
            assertThat(forbidden.command()).isEqualTo("room.join");
            // A name that merely starts like an allowed one is not allowed.
            assertThat(failure(() -> guest.client.joinRoom("lobby-" + team + "-annex").join()).code())
                    .isEqualTo(ErrorCode.FORBIDDEN);
            assertThat(guest.client.rooms()).containsExactly(teamRoom, lobby);
        }
    }

    @Test
    void aParticipantCutOffIsReconnectingThenResumedWithTheSameHandleAndMissesNothing() throws Exception {
        String room = name("flaky");
        try (ChaosProxy proxy = new ChaosProxy(server.port());
             Phone alice = Phone.signInVia(proxy, server, name("alice"));
             Phone bob = Phone.signIn(server, name("bob"));
             Phone carol = Phone.signIn(server, name("carol"))) {
            Room aliceRoom = alice.client.joinRoom(room).join();
            Room bobRoom = bob.client.joinRoom(room).join();
            awaitRoom(alice, "room-joined", room, bob.user);
            String handle = aliceRoom.handle();

            proxy.blackHole();
            proxy.cut();
            alice.await("resuming");
            Phone.Heard reconnecting = awaitRoom(bob, "room-reconnecting", room, alice.user);
            assertThat(in(reconnecting).participant()).isEqualTo(new RoomParticipant(alice.user, handle, false));
            assertThat(bobRoom.participants()).containsExactly(new RoomParticipant(alice.user, handle, false));

            // Meanwhile carol joins: she sees alice as not connected, and alice will hear of her.
            Room carolRoom = carol.client.joinRoom(room).join();
            assertThat(carolRoom.participants()).contains(new RoomParticipant(alice.user, handle, false));

            proxy.restore();
            alice.await("resumed-session");
            Phone.Heard resumed = awaitRoom(bob, "room-resumed", room, alice.user);
            assertThat(in(resumed).participant()).isEqualTo(participant(alice.user, handle));
            awaitRoom(carol, "room-resumed", room, alice.user);
            awaitRoom(alice, "room-joined", room, carol.user);

            assertThat(aliceRoom.handle()).isEqualTo(handle);
            assertThat(aliceRoom.isJoined()).isTrue();
            assertThat(alice.client.rooms()).containsExactly(aliceRoom);
            assertThat(aliceRoom.participants()).containsExactly(participant(bob.user, bobRoom.handle()),
                    participant(carol.user, carolRoom.handle()));
            assertThat(bobRoom.participants()).containsExactly(participant(alice.user, handle),
                    participant(carol.user, carolRoom.handle()));
            assertRoomStory(alice, room, List.of("room-joined " + bob.user, "room-joined " + carol.user));
            assertRoomStory(bob, room, List.of("room-reconnecting " + alice.user, "room-joined " + carol.user,
                    "room-resumed " + alice.user));
            assertThat(alice.count("resume-failed")).isZero();
        }
    }

    @Test
    void aParticipantLostForGoodLeavesWithConnectionLostAndComesBackUnderANewHandleLinkedToTheOriginal()
            throws Exception {
        String room = name("lost");
        try (ChaosProxy proxy = new ChaosProxy(server.port());
             Phone alice = Phone.signInVia(proxy, server, name("alice"));
             Phone bob = Phone.signIn(server, name("bob"))) {
            Room aliceRoom = alice.client.joinRoom(room, json("displayName", "Alice")).join();
            Room bobRoom = bob.client.joinRoom(room).join();
            awaitRoom(alice, "room-joined", room, bob.user);
            String original = aliceRoom.handle();
            String firstSession = alice.client.session().orElseThrow().sessionId();

            proxy.blackHole();
            proxy.cut();
            Phone.Heard lost = awaitLong(bob, "room-left", h -> alice.user.equals(h.user()));
            assertThat(in(lost).info()).isEqualTo(RoomLeaveReason.CONNECTION_LOST);
            assertThat(in(lost).participant().handle()).isEqualTo(original);
            assertThat(bobRoom.participants()).isEmpty();

            proxy.restore();
            assertThat(awaitLong(alice, "resume-failed", h -> true).detail()).isEqualTo(ResumeFailure.EXPIRED);
            Phone.Heard back = awaitLong(alice, "room-self-resumed", h -> true);
            String handle = (String) back.extra();
            assertThat(in(back).room()).isSameAs(aliceRoom);
            assertThat(in(back).info()).isEqualTo(original);
            assertThat(handle).startsWith("h-").isNotEqualTo(original);
            assertThat(aliceRoom.handle()).isEqualTo(handle);
            assertThat(aliceRoom.participants()).containsExactly(participant(bob.user, bobRoom.handle()));
            assertThat(alice.client.rooms()).containsExactly(aliceRoom);
            assertThat(alice.client.session().orElseThrow().sessionId()).isNotEqualTo(firstSession);
            assertThat(alice.client.connectionState()).isEqualTo(ConnectionState.CONNECTED);

            Phone.Heard rejoined = awaitRoom(bob, "room-rejoined", room, alice.user);
            assertThat(in(rejoined).participant()).isEqualTo(participant(alice.user, handle));
            assertThat(in(rejoined).info()).isEqualTo(original);
            assertThat(bobRoom.participants()).containsExactly(participant(alice.user, handle));
            assertRoomStory(bob, room, List.of("room-reconnecting " + alice.user, "room-left " + alice.user,
                    "room-rejoined " + alice.user));
            assertRoomStory(alice, room, List.of("room-joined " + bob.user, "room-self-resumed"));

            // The new handle is alice's for real: her leaving is reported under it.
            aliceRoom.leave().join();
            assertThat(in(awaitRoom(bob, "room-left", room, alice.user)).participant().handle()).isEqualTo(original);
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> bob.heard().stream()
                    .anyMatch(h -> h.what().equals("room-left") && in(h).participant().handle().equals(handle)));
        }
    }

    @Test
    void aRoomThatFilledUpMeanwhileRefusesTheConferenceResumeWithFull() throws Exception {
        String room = name("crowded");
        try (ChaosProxy proxy = new ChaosProxy(server.port());
             Phone alice = Phone.signInVia(proxy, server, name("alice"));
             Phone bob = Phone.signIn(server, name("bob"));
             Phone carol = Phone.signIn(server, name("carol"));
             Phone dave = Phone.signIn(server, name("dave"))) {
            Room aliceRoom = alice.client.joinRoom(room).join();
            bob.client.joinRoom(room).join();
            carol.client.joinRoom(room).join();
            assertThat(failure(() -> dave.client.joinRoom(room).join()).code()).isEqualTo(ErrorCode.FULL);

            proxy.blackHole();
            proxy.cut();
            awaitLong(bob, "room-left", h -> alice.user.equals(h.user()));
            dave.client.joinRoom(room).join(); // alice's place is taken

            proxy.restore();
            Phone.Heard failed = awaitLong(alice, "room-self-resume-failed", h -> true);
            DialtoneException why = (DialtoneException) in(failed).info();
            assertThat(in(failed).room()).isSameAs(aliceRoom);
            assertThat(why.code()).isEqualTo(ErrorCode.FULL);
            assertThat(in(alice.await("room-self-left")).room()).isSameAs(aliceRoom);
            assertThat(aliceRoom.isJoined()).isFalse();
            assertThat(alice.client.rooms()).isEmpty();
            assertThat(alice.count("room-self-resumed")).isZero();
            assertThat(bob.heard().stream().filter(h -> h.what().equals("room-rejoined"))).isEmpty();
        }
    }

    @Test
    void afterTheServerRestartsTheClientsJoinAgainAndReportTheirNewAndOriginalHandles() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        ServerConfig config = OneToOneCallsTest.config().port(port).resumeWindowMs(10_000).build();
        String room = name("restart");
        DialtoneServer first = DialtoneServer.start(config);
        DialtoneServer second = null;
        try (Phone alice = Phone.signIn(first, name("alice"));
             Phone bob = Phone.signIn(first, name("bob"))) {
            Room aliceRoom = alice.client.joinRoom(room, json("displayName", "Alice")).join();
            Room bobRoom = bob.client.joinRoom(room).join();
            awaitRoom(alice, "room-joined", room, bob.user);
            String aliceOriginal = aliceRoom.handle();
            String bobOriginal = bobRoom.handle();

            first.close();
            alice.await("resuming");
            bob.await("resuming");
            second = startAgain(config);

            // The new server does not know the sessions: each client signs in afresh and joins again.
            for (Phone phone : List.of(alice, bob)) {
                assertThat(awaitLong(phone, "resume-failed", h -> true).detail()).isEqualTo(ResumeFailure.UNKNOWN);
                phone.await("disconnected");
            }
            Phone.Heard aliceBack = awaitLong(alice, "room-self-resumed", h -> true);
            Phone.Heard bobBack = awaitLong(bob, "room-self-resumed", h -> true);
            String aliceHandle = (String) aliceBack.extra();
            String bobHandle = (String) bobBack.extra();
            assertThat(in(aliceBack).room()).isSameAs(aliceRoom);
            assertThat(in(aliceBack).info()).isEqualTo(aliceOriginal);
            assertThat(aliceHandle).startsWith("h-").isNotEqualTo(aliceOriginal);
            assertThat(in(bobBack).room()).isSameAs(bobRoom);
            assertThat(in(bobBack).info()).isEqualTo(bobOriginal);
            assertThat(bobHandle).startsWith("h-").isNotEqualTo(bobOriginal);
            assertThat(aliceRoom.handle()).isEqualTo(aliceHandle);
            assertThat(bobRoom.handle()).isEqualTo(bobHandle);

            // Whoever joined the new server's room second was announced to the first with both handles;
            // the second found the first in the room's list.
            Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> alice.count("room-rejoined") + bob.count("room-rejoined") == 1);
            boolean aliceFirst = alice.count("room-rejoined") == 1;
            Phone earlier = aliceFirst ? alice : bob;
            Phone later = aliceFirst ? bob : alice;
            Phone.Heard rejoined = earlier.await("room-rejoined");
            assertThat(in(rejoined).participant())
                    .isEqualTo(participant(later.user, aliceFirst ? bobHandle : aliceHandle));
            assertThat(in(rejoined).info()).isEqualTo(aliceFirst ? bobOriginal : aliceOriginal);
            assertThat(aliceRoom.participants()).containsExactly(participant(bob.user, bobHandle));
            assertThat(bobRoom.participants()).containsExactly(participant(alice.user, aliceHandle));
            for (Phone phone : List.of(alice, bob)) {
                assertThat(phone.client.connectionState()).isEqualTo(ConnectionState.CONNECTED);
                assertThat(phone.count("room-self-left")).isZero();
                assertThat(phone.count("room-self-resume-failed")).isZero();
            }

            // Both are in the new server's room for real.
            bobRoom.leave().join();
            Phone.Heard left = awaitRoom(alice, "room-left", room, bob.user);
            assertThat(in(left).participant().handle()).isEqualTo(bobHandle);
            assertThat(aliceRoom.participants()).isEmpty();
        } finally {
            if (second != null) {
                second.close();
            } else {
                first.close();
            }
        }
    }

    @Test
    void aServerShuttingDownClosesEveryConnectionWith1001AndResumesNobody() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        DialtoneServer closing = DialtoneServer.start(OneToOneCallsTest.config().port(port).resumeWindowMs(1_000)
                .build());
        List<Phone> phones = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                phones.add(Phone.signIn(closing, name("user")));
            }
        } finally {
            closing.close();
        }
        try {
            for (Phone phone : phones) {
                Phone.Heard disconnected = awaitLong(phone, "disconnected", h -> true);
                assertThat(phone.count("resumed-session")).as(phone.user + " resumed on a closing server").isZero();
                assertThat(disconnected.detail()).as(phone.user + ": " + disconnected.extra())
                        .isEqualTo(CloseCodes.GOING_AWAY);
            }
        } finally {
            phones.forEach(Phone::close);
        }
    }

    /** Starts a server on the port another one just released (which may take a moment to free up). */
    private static DialtoneServer startAgain(ServerConfig config) {
        return Awaitility.await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> {
            try {
                return DialtoneServer.start(config);
            } catch (RuntimeException e) {
                throw new IOException("port " + config.port() + " not free yet", e);
            }
        }, s -> s != null);
    }
}
