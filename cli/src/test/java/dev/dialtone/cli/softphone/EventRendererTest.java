package dev.dialtone.cli.softphone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dialtone.client.CallDirection;
import dev.dialtone.client.ConnectionState;
import dev.dialtone.client.DialtoneException;
import dev.dialtone.client.SessionInfo;
import dev.dialtone.protocol.CallSnapshot;
import dev.dialtone.protocol.CallState;
import dev.dialtone.protocol.CancelReason;
import dev.dialtone.protocol.DeclineReason;
import dev.dialtone.protocol.EndReason;
import dev.dialtone.protocol.ErrorCode;
import dev.dialtone.protocol.LeaveReason;
import dev.dialtone.protocol.Media;
import dev.dialtone.protocol.ParticipantState;
import dev.dialtone.protocol.ResumeFailure;
import java.net.ConnectException;
import java.net.URI;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class EventRendererTest {
    private static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");
    private static final URI SERVER = URI.create("ws://localhost:8080/v1/ws");

    private final EventRenderer alice = new EventRenderer(Style.PLAIN, "alice");
    private final EventRenderer bob = new EventRenderer(Style.PLAIN, "bob");

    /** alice called bob. */
    private static CallView call(CallState state, Set<String> heldBy) {
        return new CallView("c-4fA9xZk2Lm0pQr7s", CallDirection.OUTGOING, "alice", List.of("bob"), Media.AUDIO, state,
                state == CallState.ACTIVE ? "r-room" : null,
                state == CallState.ACTIVE ? List.of("alice", "bob") : List.of("alice"), heldBy, Set.of(), T0,
                state == CallState.ACTIVE ? T0.plusSeconds(5) : null);
    }

    /** The same call as bob sees it. */
    private static CallView incoming(CallState state, Set<String> heldBy) {
        CallView call = call(state, heldBy);
        return new CallView(call.id(), CallDirection.INCOMING, call.caller(), call.invitees(), call.media(),
                call.state(), call.roomId(), call.participants(), call.heldBy(), call.reconnecting(), call.createdAt(),
                call.activeSince());
    }

    private static final CallView RINGING_OUT = call(CallState.RINGING, Set.of());
    private static final CallView RINGING_IN = incoming(CallState.RINGING, Set.of());
    private static final CallView ACTIVE_OUT = call(CallState.ACTIVE, Set.of());
    private static final CallView ACTIVE_IN = incoming(CallState.ACTIVE, Set.of());

    @Test
    void eventLinesAreTimeStamped() {
        assertThat(alice.stamp(LocalTime.of(9, 5, 7), "ringing bob…")).isEqualTo("09:05:07  ringing bob…");
    }

    @Test
    void theBannerSaysWhoYouAreAndWhatToTypeFirst() {
        SessionInfo session = new SessionInfo("s-1", "alice", "terminal", Duration.ofMinutes(1), Duration.ofSeconds(15), java.util.OptionalInt.of(0));
        assertThat(alice.banner(session, SERVER)).isEqualTo(
                "Dialtone softphone — signed in as alice (device terminal) at ws://localhost:8080/v1/ws\n"
                        + "type `call bob` to call someone, `help` for more");
        SessionInfo asBob = new SessionInfo("s-2", "bob", "terminal", Duration.ofMinutes(1), Duration.ofSeconds(15), java.util.OptionalInt.of(0));
        assertThat(bob.banner(asBob, SERVER)).contains("type `call alice` to call someone");
    }

    @Nested
    class Ringing {
        @Test
        void incoming() {
            assertThat(bob.incoming(RINGING_IN, false, false))
                    .isEqualTo("📞 incoming audio call from alice — type `accept` or `decline`");
        }

        @Test
        void incomingWhileInAnotherCallNamesTheCall() {
            assertThat(bob.incoming(RINGING_IN, true, true)).isEqualTo(
                    "📞 incoming audio call from alice while you are in another call — type `accept c-4fA9xZ` or "
                            + "`decline busy c-4fA9xZ`");
        }

        @Test
        void outgoing() {
            assertThat(alice.calling(RINGING_OUT)).isEqualTo("calling bob… (call c-4fA9xZ; `cancel` to stop)");
            assertThat(alice.ringing(RINGING_OUT, "bob")).isEqualTo("ringing bob…");
            assertThat(alice.accepted(RINGING_OUT, "bob")).isEqualTo("bob accepted");
            assertThat(alice.started(ACTIVE_OUT, "r-123")).isEqualTo("call started with bob (room r-123)");
            assertThat(bob.started(ACTIVE_IN, "r-123")).isEqualTo("call started with alice (room r-123)");
        }

        @Test
        void declines() {
            assertThat(alice.declined(RINGING_OUT, "bob", DeclineReason.REFUSED)).isEqualTo("bob declined");
            assertThat(alice.declined(RINGING_OUT, "bob", DeclineReason.BUSY)).isEqualTo("bob declined (busy)");
            assertThat(alice.declined(RINGING_OUT, "bob", DeclineReason.NO_ANSWER)).isEqualTo("no answer from bob");
            assertThat(alice.declined(RINGING_OUT, "bob", DeclineReason.OFFLINE)).isEqualTo("bob is offline");
        }

        @Test
        void glare() {
            CallView bobsCall = new CallView("c-1", CallDirection.INCOMING, "bob", List.of("alice"), Media.AUDIO,
                    CallState.ACTIVE, null, List.of("bob"), Set.of(), Set.of(), T0, T0);
            assertThat(alice.merged(bobsCall))
                    .isEqualTo("bob was calling you at the same moment — you are now in their call");
        }
    }

    @Nested
    class Ended {
        @Test
        void hangupSaysWhoAndHowLong() {
            assertThat(alice.ended(ACTIVE_OUT, EndReason.HANGUP, "bob", 42_000, null))
                    .isEqualTo("■ call ended: bob hung up after 0:42");
            assertThat(bob.ended(ACTIVE_IN, EndReason.HANGUP, "bob", 3_723_000, null))
                    .isEqualTo("■ call ended: you hung up after 1:02:03");
        }

        @Test
        void outgoingCallsThatNeverStarted() {
            assertThat(alice.ended(RINGING_OUT, EndReason.CANCELED, "alice", 0, null))
                    .isEqualTo("■ call to bob canceled");
            assertThat(alice.ended(RINGING_OUT, EndReason.DECLINED, "bob", 0, null))
                    .isEqualTo("■ call ended: bob declined");
            assertThat(alice.ended(RINGING_OUT, EndReason.BUSY, null, 0, null))
                    .isEqualTo("■ call ended: bob is busy");
            assertThat(alice.ended(RINGING_OUT, EndReason.NO_ANSWER, null, 0, null))
                    .isEqualTo("■ call ended: no answer");
            assertThat(alice.ended(RINGING_OUT, EndReason.OFFLINE, null, 0, null))
                    .isEqualTo("■ call ended: bob is offline");
        }

        @Test
        void incomingCallsThatNeverStarted() {
            assertThat(bob.ended(RINGING_IN, EndReason.CANCELED, null, 0, CancelReason.CANCELED))
                    .isEqualTo("■ missed call: alice canceled before you answered");
            assertThat(bob.ended(RINGING_IN, EndReason.NO_ANSWER, null, 0, CancelReason.NO_ANSWER))
                    .isEqualTo("■ missed call from alice (no answer)");
            assertThat(bob.ended(RINGING_IN, EndReason.DECLINED, "bob", 0, null))
                    .isEqualTo("■ you declined the call from alice");
            assertThat(bob.ended(RINGING_IN, EndReason.BUSY, "bob", 0, null))
                    .isEqualTo("■ you declined the call from alice (busy)");
            assertThat(bob.ended(RINGING_IN, EndReason.CANCELED, "bob", 0, CancelReason.ANSWERED_ELSEWHERE))
                    .isEqualTo("■ call from alice answered on another device");
            assertThat(bob.ended(RINGING_IN, EndReason.DECLINED, "bob", 0, CancelReason.DECLINED_ELSEWHERE))
                    .isEqualTo("■ call from alice declined on another device");
        }

        @Test
        void otherEndings() {
            assertThat(alice.ended(ACTIVE_OUT, EndReason.CONNECTION_LOST, "bob", 61_000, null))
                    .isEqualTo("■ call ended: bob's connection was lost after 1:01");
            assertThat(alice.ended(ACTIVE_OUT, EndReason.CONNECTION_LOST, null, 1_000, null))
                    .isEqualTo("■ call ended: the connection was lost after 0:01");
            assertThat(alice.ended(ACTIVE_OUT, EndReason.FORCED, null, 5_000, null))
                    .isEqualTo("■ call ended by the server after 0:05");
            assertThat(alice.ended(ACTIVE_OUT, EndReason.UNHOLD_FAILED, null, 5_000, null))
                    .isEqualTo("■ call ended: it could not be taken off hold (the other side is gone) after 0:05");
        }
    }

    @Nested
    class Hold {
        @Test
        void holdAndUnholdInPlainWords() {
            assertThat(bob.holdChanged(ACTIVE_IN, "alice", true)).isEqualTo("alice put the call on hold");
            assertThat(bob.holdChanged(ACTIVE_IN, "alice", false)).isEqualTo("alice took the call off hold");
            assertThat(alice.holdChanged(call(CallState.ACTIVE, Set.of("alice")), "alice", true))
                    .isEqualTo("you put the call on hold");
            assertThat(alice.holdChanged(call(CallState.ACTIVE, Set.of("bob")), "alice", false))
                    .isEqualTo("you took the call off hold (still on hold by bob)");
        }

        @Test
        void reconnecting() {
            assertThat(alice.reconnecting(ACTIVE_OUT, "bob")).isEqualTo("bob is reconnecting…");
            assertThat(alice.resumed(ACTIVE_OUT, "bob")).isEqualTo("bob is back");
        }
    }

    @Nested
    class Errors {
        @Test
        void notHolderNamesTheHolder() {
            DialtoneException error = DialtoneException.rejected("call.unhold", ErrorCode.NOT_HOLDER,
                    "only the participant who put the call on hold can unhold it", null, null);
            assertThat(bob.error("unhold", incoming(CallState.ACTIVE, Set.of("alice")), new CompletionException(error)))
                    .isEqualTo("cannot unhold: only alice, who put the call on hold, can take it off hold [not_holder]");
        }

        @Test
        void theServersOwnWordsWhereTheyAreClearest() {
            DialtoneException error = DialtoneException.rejected("call.hold", ErrorCode.INVALID_STATE,
                    "only a joined participant of an active call can hold", null, null);
            assertThat(alice.error("hold", RINGING_OUT, error))
                    .isEqualTo("cannot hold: only a joined participant of an active call can hold [invalid_state]");
            DialtoneException denied = DialtoneException.rejected("call.invite", ErrorCode.DENIED, "not today", null,
                    "closed");
            assertThat(alice.error("call bob", null, denied)).isEqualTo("cannot call bob: not today (closed) [denied]");
        }

        @Test
        void busyCaller() {
            DialtoneException error = DialtoneException.rejected("call.invite", ErrorCode.BUSY, "x", null, null);
            assertThat(alice.error("call carol", null, error))
                    .isEqualTo("cannot call carol: you already have a call ringing — `cancel` it first [busy]");
        }

        @Test
        void connectionProblems() {
            assertThat(alice.error("hold", null, DialtoneException.connection("call.hold", "not connected", null)))
                    .isEqualTo("cannot hold: not connected — type `reconnect` to sign in again");
            assertThat(alice.error("hold", null, DialtoneException.timeout("call.hold", Duration.ofSeconds(10))))
                    .isEqualTo("cannot hold: the server did not answer in time");
        }

        @Test
        void invalidArguments() {
            assertThat(alice.error("call bob and bob", null, new IllegalArgumentException("duplicate user bob")))
                    .isEqualTo("cannot call bob and bob: duplicate user bob");
        }

        @Test
        void signInFailures() {
            DialtoneException refused = DialtoneException.rejected("auth", ErrorCode.UNAUTHORIZED, "bad token", null,
                    null);
            assertThat(alice.signInFailed(alice.signInFailure(SERVER, refused))).startsWith(
                    "cannot sign in: the server refused the token [unauthorized]");
            ConnectException connect = new ConnectException();
            connect.initCause(new ClosedChannelException());
            DialtoneException unreachable = DialtoneException.connection("connect", "cannot connect", connect);
            assertThat(alice.signInFailure(SERVER, unreachable)).isEqualTo(
                    "the server is not reachable at ws://localhost:8080/v1/ws (connection refused) — is it running? "
                            + "start one with `./dialtone serve`");
        }

        @Test
        void resuming() {
            assertThat(alice.resuming()).isEqualTo("connection lost — reconnecting…");
            assertThat(alice.resumed()).isEqualTo("reconnected — nothing was lost");
            assertThat(alice.resumeFailed(ResumeFailure.UNKNOWN)).isEqualTo(
                    "could not reconnect: the server no longer knows this session (it probably restarted) [unknown]");
            assertThat(alice.resumeFailed(ResumeFailure.EXPIRED)).contains("resume window").endsWith("[expired]");
            assertThat(alice.sessionOver()).isEqualTo("you are signed out — type `reconnect` to sign in again, or `quit`");
        }

        @Test
        void disconnections() {
            assertThat(alice.disconnected(4409, "replaced"))
                    .isEqualTo("signed out: this session was replaced by a newer login of alice on the same device [4409]");
            assertThat(alice.disconnected(4401, "expired")).contains("[unauthorized, 4401]");
            assertThat(alice.disconnected(1001, "bye")).startsWith("the server is shutting down [1001] — type `reconnect`");
            assertThat(alice.disconnected(1006, "no frame from the server for 30000 ms")).isEqualTo(
                    "connection lost (no frame from the server for 30000 ms) [1006] — type `reconnect` to sign in "
                            + "again, or `quit`");
        }
    }

    @Nested
    class GroupCalls {
        /** alice called bob and carol; bob and carol joined, dave was invited later. */
        private final CallView group = new CallView("c-9gRoup000", CallDirection.OUTGOING, "alice",
                List.of("bob", "carol"), Media.AUDIO, CallState.ACTIVE, "r-g", List.of("alice", "bob", "carol"),
                Set.of(), Set.of(), T0, T0);
        /** The same call after carol left. */
        private final CallView afterCarol = new CallView(group.id(), CallDirection.INCOMING, "alice",
                List.of("bob", "carol"), Media.AUDIO, CallState.ACTIVE, "r-g", List.of("alice", "bob"),
                Set.of(), Set.of(), T0, T0);

        @Test
        void joinedAndLeftInPlainWords() {
            assertThat(alice.participantJoined(group, "carol")).isEqualTo("carol joined the call");
            assertThat(bob.participantLeft(afterCarol, "carol", LeaveReason.HANGUP))
                    .isEqualTo("carol left the call — still in the call: alice");
            assertThat(bob.participantLeft(afterCarol, "carol", LeaveReason.CONNECTION_LOST))
                    .startsWith("carol left the call (connection lost)");
            assertThat(bob.participantLeft(afterCarol, "carol", LeaveReason.FORCED))
                    .startsWith("carol left the call (removed)");
        }

        @Test
        void startedNamesWhoIsThereNotWhoIsStillRinging() {
            CallView firstAccepted = new CallView(group.id(), CallDirection.OUTGOING, "alice", List.of("bob", "carol"),
                    Media.AUDIO, CallState.ACTIVE, "r-g", List.of("alice", "bob"), Set.of(), Set.of(), T0, T0);
            assertThat(alice.started(firstAccepted, "r-g")).isEqualTo("call started with bob (room r-g)");
            assertThat(alice.prompt(List.of(group), ConnectionState.CONNECTED))
                    .isEqualTo("alice (in call with bob and carol) > ");
            assertThat(bob.prompt(List.of(afterCarol), ConnectionState.CONNECTED))
                    .isEqualTo("bob (in call with alice) > ");
        }

        @Test
        void inviteAndJoinReplies() {
            assertThat(alice.invitingMore(group, List.of("dave", "erin"))).isEqualTo("inviting dave and erin into the call…");
            assertThat(alice.joining(group)).isEqualTo("joining call c-9gRoup…");
            assertThat(alice.whichRecentCall("c-9", List.of("c-9gRoup000", "c-9hXXXX000")))
                    .isEqualTo("which call? c-9gRoup, c-9hXXXX start with `c-9` — type more of the id");
        }

        @Test
        void helpListsTheNewCommands() {
            assertThat(alice.help()).contains("invite USER…").contains("join CALL").contains("room join NAME")
                    .contains("room leave [NAME]").contains("rooms ");
        }
    }

    @Nested
    class Prompt {
        @Test
        void showsTheRooms() {
            assertThat(alice.prompt(List.of(), List.of("standup"), ConnectionState.CONNECTED))
                    .isEqualTo("alice (in room standup) > ");
            assertThat(alice.prompt(List.of(ACTIVE_OUT), List.of("standup", "retro"), ConnectionState.CONNECTED))
                    .isEqualTo("alice (in call with bob; in rooms standup and retro) > ");
            assertThat(alice.prompt(List.of(), List.of("a", "b", "c"), ConnectionState.RESUMING))
                    .isEqualTo("alice (reconnecting…; in 3 rooms) > ");
        }

        @Test
        void showsWhoAndWhatTheCallIsDoing() {
            assertThat(alice.prompt(List.of(), ConnectionState.CONNECTED)).isEqualTo("alice > ");
            assertThat(alice.prompt(List.of(), ConnectionState.DISCONNECTED)).isEqualTo("alice (offline) > ");
            assertThat(alice.prompt(List.of(ACTIVE_OUT), ConnectionState.RESUMING))
                    .isEqualTo("alice (reconnecting…; in call with bob) > ");
            assertThat(alice.prompt(List.of(RINGING_OUT), ConnectionState.CONNECTED)).isEqualTo("alice (calling bob…) > ");
            assertThat(bob.prompt(List.of(RINGING_IN), ConnectionState.CONNECTED)).isEqualTo("bob (alice is calling) > ");
            assertThat(alice.prompt(List.of(ACTIVE_OUT), ConnectionState.CONNECTED)).isEqualTo("alice (in call with bob) > ");
            assertThat(alice.prompt(List.of(call(CallState.ACTIVE, Set.of("alice"))), ConnectionState.CONNECTED))
                    .isEqualTo("alice (in call with bob, on hold) > ");
            assertThat(alice.prompt(List.of(call(CallState.ACTIVE, Set.of("bob"))), ConnectionState.CONNECTED))
                    .isEqualTo("alice (in call with bob, on hold by bob) > ");
        }

        @Test
        void twoCallsAreBothDescribed() {
            CallView carol = new CallView("c-other", CallDirection.INCOMING, "carol", List.of("bob"), Media.VIDEO,
                    CallState.RINGING, null, List.of("carol"), Set.of(), Set.of(), T0, null);
            assertThat(bob.prompt(List.of(ACTIVE_IN, carol), ConnectionState.CONNECTED))
                    .isEqualTo("bob (in call with alice; carol is calling) > ");
            assertThat(bob.prompt(List.of(ACTIVE_IN, carol, carol), ConnectionState.CONNECTED)).isEqualTo("bob (3 calls) > ");
        }

        @Test
        void aReconnectingPeerShows() {
            CallView lost = new CallView("c-1", CallDirection.OUTGOING, "alice", List.of("bob"), Media.AUDIO,
                    CallState.ACTIVE, "r-1", List.of("alice", "bob"), Set.of(), Set.of("bob"), T0, T0);
            assertThat(alice.prompt(List.of(lost), ConnectionState.CONNECTED)).isEqualTo("alice (in call with bob, bob reconnecting) > ");
        }

        @Test
        void colourOnlyWhenAsked() {
            EventRenderer coloured = new EventRenderer(Style.ANSI, "alice");
            assertThat(coloured.prompt(List.of(ACTIVE_OUT), ConnectionState.CONNECTED)).contains("\u001b[");
            assertThat(alice.prompt(List.of(ACTIVE_OUT), ConnectionState.CONNECTED)).doesNotContain("\u001b");
            assertThat(alice.help()).doesNotContain("\u001b");
        }
    }

    @Nested
    class StatusAndCalls {
        @Test
        void statusShowsStateDurationAndWhoHolds() {
            Instant now = T0.plusSeconds(47);
            assertThat(alice.status(List.of(call(CallState.ACTIVE, Set.of("alice"))), now)).isEqualTo("""
                    call c-4fA9xZ to bob — audio, you called
                      active for 0:42 with bob, room r-room
                      on hold by you — `unhold` takes your hold off""");
            assertThat(bob.status(List.of(incoming(CallState.ACTIVE, Set.of("alice"))), now)).isEqualTo("""
                    call c-4fA9xZ from alice — audio, they called
                      active for 0:42 with alice, room r-room
                      on hold by alice — only alice can take it off hold""");
            assertThat(alice.status(List.of(call(CallState.ACTIVE, Set.of("alice", "bob"))), now))
                    .contains("on hold by you and bob");
            assertThat(alice.status(List.of(RINGING_OUT), T0.plusSeconds(5))).isEqualTo("""
                    call c-4fA9xZ to bob — audio, you called
                      ringing for 0:05 — type `cancel` to stop""");
            assertThat(alice.status(List.of(), now)).isEqualTo("no call right now — type `call NAME` to call someone");
        }

        @Test
        void callsShowsTheServersView() {
            CallSnapshot snapshot = new CallSnapshot("c-4fA9xZk2Lm0pQr7s", "alice", Media.AUDIO, CallState.ACTIVE,
                    "r-room", T0.toEpochMilli(), List.of(
                    new CallSnapshot.Participant("alice", ParticipantState.JOINED, true, true),
                    new CallSnapshot.Participant("bob", ParticipantState.JOINED, false, false)));
            assertThat(alice.serverCalls(List.of(snapshot), ZoneOffset.UTC)).isEqualTo("""
                    1 call on the server:
                      c-4fA9xZ  active  audio  since 12:00:00  room r-room
                          alice  caller, joined, on hold, connected
                          bob    joined, reconnecting""");
            assertThat(alice.serverCalls(List.of(), ZoneOffset.UTC)).isEqualTo("the server has no current calls for you");
        }
    }

    @Test
    void wordsAndNumbers() {
        assertThat(EventRenderer.names(List.of("bob"))).isEqualTo("bob");
        assertThat(EventRenderer.names(List.of("bob", "carol"))).isEqualTo("bob and carol");
        assertThat(EventRenderer.names(List.of("bob", "carol", "dave"))).isEqualTo("bob, carol and dave");
        assertThat(EventRenderer.duration(0)).isEqualTo("0:00");
        assertThat(EventRenderer.duration(42_999)).isEqualTo("0:42");
        assertThat(EventRenderer.duration(600_000)).isEqualTo("10:00");
        assertThat(EventRenderer.duration(3_600_000)).isEqualTo("1:00:00");
    }

    @Test
    void signalingIsNotedQuietly() throws Exception {
        assertThat(alice.signal(ACTIVE_OUT, "bob", new ObjectMapper().readTree("{\"type\":\"offer\"}")))
                .isEqualTo("bob sent signaling (offer) — this softphone carries no media");
    }
}
