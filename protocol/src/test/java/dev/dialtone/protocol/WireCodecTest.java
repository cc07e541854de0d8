package dev.dialtone.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class WireCodecTest {
    private final WireCodec codec = WireCodec.get();

    @Test
    void everyCommandRoundTripsThroughTheCodec() throws Exception {
        ObjectNode payload = codec.mapper().createObjectNode().put("topic", "x");
        List<Command> commands = List.of(
                new Command.Auth("1", "token", "laptop"),
                new Command.Resume("2", "s-1", "r-1", 17),
                new Command.Ack(null, 5),
                new Command.Ping("3"),
                new Command.Logout("4"),
                new Command.CallInvite("5", List.of("bob"), Media.VIDEO, payload, 20_000),
                new Command.CallAccept("6", "c-1", payload),
                new Command.CallDecline("7", "c-1", DeclineReason.BUSY, payload),
                new Command.CallCancel("8", "c-1"),
                new Command.CallHangup("9", "c-1"),
                new Command.CallHold("10", "c-1"),
                new Command.CallUnhold("11", "c-1"),
                new Command.CallSignal("12", "c-1", "bob", payload),
                new Command.CallsList("13"),
                new Command.CallInviteMore("14", "c-1", List.of("carol")),
                new Command.CallJoin("15", "c-1"),
                new Command.RoomJoin("16", "standup.team_1", payload, "h-old"),
                new Command.RoomLeave("17", "standup.team_1"),
                new Command.CallsHistory("18", 20, "Y3Vyc29y"));
        assertThat(commands).extracting(Command::type).containsExactlyInAnyOrderElementsOf(Messages.commands().keySet());
        for (Command command : commands) {
            assertThat(codec.decodeCommand(codec.encodeCommand(command))).isEqualTo(command);
        }
    }

    @Test
    void callsHistoryDefaultsItsLimitAndRefusesOutOfRangeValues() {
        assertThat(((Command.CallsHistory) decode("{\"type\":\"calls.history\",\"id\":\"1\"}")).limit())
                .isEqualTo(50);
        for (String bad : List.of("{\"type\":\"calls.history\",\"id\":\"1\",\"limit\":0}",
                "{\"type\":\"calls.history\",\"id\":\"1\",\"limit\":201}",
                "{\"type\":\"calls.history\",\"id\":\"1\",\"before\":\"\"}")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> codec.decodeCommand(bad))
                    .isInstanceOf(ProtocolException.class).hasMessageContaining("calls.history");
        }
    }

    @Test
    void aHistoryPageRoundTripsWithEveryRecordField() throws Exception {
        CallRecord answered = new CallRecord("c-1", "alice", List.of(new CallRecord.Invitee("bob", CallOutcome.ANSWERED)),
                Media.VIDEO, 1_000, 2_000L, 5_000, EndReason.HANGUP, "bob", 3_000, "r-1", CallOutcome.OUTGOING);
        CallRecord missed = new CallRecord("c-2", "carol", List.of(new CallRecord.Invitee("alice", CallOutcome.MISSED)),
                Media.AUDIO, 900, null, 950, EndReason.NO_ANSWER, null, 0, null, CallOutcome.MISSED);
        String frame = codec.encodeReply(Reply.ok("9", new Result.History(List.of(answered, missed), "next-page")));
        JsonNode json = codec.mapper().readTree(frame);
        assertThat(json.path("calls").get(0).path("invitees").get(0).path("outcome").asText()).isEqualTo("answered");
        assertThat(json.path("calls").get(1).has("answeredAt")).isFalse();
        ServerFrame.OkFrame ok = (ServerFrame.OkFrame) codec.decodeServerFrame(frame);
        assertThat(codec.result(ok, Result.History.class))
                .isEqualTo(new Result.History(List.of(answered, missed), "next-page"));
    }

    @Test
    void iceServersRoundTripInAuthAndResumeAndAreAbsentWhenNone() throws Exception {
        List<IceServer> servers = List.of(IceServer.of("stun:stun.example.com:3478"),
                new IceServer(List.of("turn:turn.example.com:3478?transport=udp", "turns:turn.example.com:5349"),
                        "1767312000:alice", "c2VjcmV0"));
        String auth = codec.encodeReply(Reply.ok("1",
                new Result.Auth("s-1", "r-1", "alice", "laptop", 60_000, 15_000, 2, servers)));
        JsonNode json = codec.mapper().readTree(auth);
        JsonNode stun = json.path("iceServers").get(0);
        assertThat(stun.path("urls").isArray()).isTrue();
        assertThat(stun.path("urls").get(0).asText()).isEqualTo("stun:stun.example.com:3478");
        assertThat(stun.has("username")).isFalse();
        assertThat(stun.has("credential")).isFalse();
        assertThat(json.path("iceServers").get(1).path("credential").asText()).isEqualTo("c2VjcmV0");
        assertThat(codec.result((ServerFrame.OkFrame) codec.decodeServerFrame(auth), Result.Auth.class).iceServers())
                .isEqualTo(servers);

        String resume = codec.encodeReply(Reply.ok("2", new Result.Resume("s-1", "r-2", 0, servers)));
        assertThat(codec.result((ServerFrame.OkFrame) codec.decodeServerFrame(resume), Result.Resume.class))
                .isEqualTo(new Result.Resume("s-1", "r-2", 0, servers));

        String none = codec.encodeReply(Reply.ok("3", new Result.Resume("s-1", "r-3", 0, null)));
        assertThat(codec.mapper().readTree(none).has("iceServers")).isFalse();
        assertThat(codec.result((ServerFrame.OkFrame) codec.decodeServerFrame(none), Result.Resume.class)
                .iceServers()).isNull();
    }

    @Test
    void anIceServerReadsASingleUrlStringAsBrowsersDoAndNeverPrintsItsCredential() throws Exception {
        IceServer read = codec.mapper().readValue("{\"urls\":\"stun:stun.example.com\"}", IceServer.class);
        assertThat(read).isEqualTo(IceServer.of("stun:stun.example.com"));
        IceServer turn = new IceServer(List.of("turn:t.example.com"), "u", "top-secret");
        assertThat(turn.toString()).contains("turn:t.example.com").doesNotContain("top-secret");
        assertThatThrownBy(() -> new IceServer(List.of(), null, null)).isInstanceOf(IllegalArgumentException.class);
    }

    private Command decode(String text) {
        try {
            return codec.decodeCommand(text);
        } catch (ProtocolException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void everyEventRoundTripsWithItsSeq() throws Exception {
        ObjectNode payload = codec.mapper().createObjectNode().put("k", 1);
        List<Event> events = List.of(
                new Event.CallIncoming("c-1", "alice", Media.AUDIO, payload, List.of("bob"), 1234, true),
                new Event.CallRinging("c-1", "bob"),
                new Event.CallAccepted("c-1", "bob", payload),
                new Event.CallStarted("c-1", "r-1", List.of("alice", "bob")),
                new Event.CallDeclined("c-1", "bob", DeclineReason.NO_ANSWER, null),
                new Event.CallCanceled("c-1", CancelReason.ANSWERED_ELSEWHERE),
                new Event.CallEnded("c-1", EndReason.UNHOLD_FAILED, "alice", 42),
                new Event.CallHoldChanged("c-1", "alice", true),
                new Event.CallParticipantReconnecting("c-1", "bob"),
                new Event.CallParticipantResumed("c-1", "bob"),
                new Event.CallSignal("c-1", "alice", payload),
                new Event.CallParticipantJoined("c-1", "carol"),
                new Event.CallParticipantLeft("c-1", "carol", LeaveReason.CONNECTION_LOST),
                new Event.RoomParticipantJoined("standup", "bob", "h-1", payload),
                new Event.RoomParticipantLeft("standup", "bob", "h-1", RoomLeaveReason.LEFT),
                new Event.RoomParticipantReconnecting("standup", "bob", "h-1"),
                new Event.RoomParticipantResumed("standup", "bob", "h-1"),
                new Event.RoomParticipantRejoined("standup", "bob", "h-2", "h-1"));
        assertThat(events).extracting(Event::type).containsExactlyInAnyOrderElementsOf(Messages.events().keySet());
        long seq = 1;
        for (Event event : events) {
            String frame = codec.encodeEvent(event).withSeq(seq);
            ServerFrame.EventFrame decoded = (ServerFrame.EventFrame) codec.decodeServerFrame(frame);
            assertThat(decoded.seq()).isEqualTo(seq++);
            assertThat(decoded.event()).isEqualTo(event);
        }
    }

    @Test
    void eventsUseWireNamesAndOmitAbsentFields() throws Exception {
        String frame = codec.encodeEvent(new Event.CallEnded("c-9", EndReason.NO_ANSWER, null, 0)).withSeq(3);
        JsonNode json = codec.mapper().readTree(frame);
        assertThat(json.path("type").asText()).isEqualTo("call.ended");
        assertThat(json.path("seq").asLong()).isEqualTo(3);
        assertThat(json.path("reason").asText()).isEqualTo("no_answer");
        assertThat(json.has("by")).isFalse();
    }

    @Test
    void repliesHaveTheContractsShape() throws Exception {
        JsonNode ok = codec.mapper().readTree(codec.encodeReply(Reply.ok("7", new Result.Accept("c-1", "r-1"))));
        assertThat(ok.path("type").asText()).isEqualTo("ok");
        assertThat(ok.path("re").asText()).isEqualTo("7");
        assertThat(ok.path("roomId").asText()).isEqualTo("r-1");
        assertThat(ok.has("seq")).isFalse();
        JsonNode empty = codec.mapper().readTree(codec.encodeReply(Reply.ok("8")));
        assertThat(empty.size()).isEqualTo(2);
        JsonNode error = codec.mapper().readTree(codec.encodeReply(
                new Reply.Error("9", ErrorCode.RESUME_FAILED, "gone", ResumeFailure.EXPIRED, null)));
        assertThat(error.path("code").asText()).isEqualTo("resume_failed");
        assertThat(error.path("reason").asText()).isEqualTo("expired");
        assertThat(error.has("hookCode")).isFalse();
        JsonNode noId = codec.mapper().readTree(codec.encodeReply(Reply.error(null, ErrorCode.BAD_REQUEST, "x")));
        assertThat(noId.get("re").isNull()).isTrue();
    }

    @Test
    void everyErrorCodeAndEndReasonHasTheWireNameOfTheContract() {
        assertThat(ErrorCode.values()).extracting(ErrorCode::wire).contains("bad_request", "unauthorized",
                "not_found", "invalid_state", "busy", "denied", "rate_limited", "not_holder", "resume_failed",
                "forbidden", "full");
        assertThat(EndReason.values()).extracting(EndReason::wire).containsExactly("hangup", "canceled", "declined",
                "busy", "no_answer", "offline", "forced", "connection_lost", "unhold_failed");
        assertThat(EndReason.fromWire("connection_lost")).isEqualTo(EndReason.CONNECTION_LOST);
        assertThatThrownBy(() -> EndReason.fromWire("vanished")).hasMessageContaining("hangup");
    }

    @Test
    void aPayloadOverEightKibibytesIsRefusedAndOneAtTheLimitAccepted() throws Exception {
        String big = "{\"type\":\"call.invite\",\"id\":\"1\",\"to\":[\"bob\"],\"media\":\"audio\",\"payload\":{\"b\":\"%s\"}}";
        assertThatThrownBy(() -> codec.decodeCommand(big.formatted("x".repeat(Limits.MAX_PAYLOAD_BYTES))))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("payload");
        // {"b":"…"} adds 8 bytes around the string.
        assertThat(codec.decodeCommand(big.formatted("x".repeat(Limits.MAX_PAYLOAD_BYTES - 8)))).isNotNull();
    }

    @Test
    void malformedFramesAreDescribedAndKeepTheirId() {
        assertThatThrownBy(() -> codec.decodeCommand("{\"type\":\"call.hold\",\"id\":\"x1\"}"))
                .isInstanceOfSatisfying(ProtocolException.class, e -> {
                    assertThat(e.re()).isEqualTo("x1");
                    assertThat(e.getMessage()).contains("callId");
                });
        assertThatThrownBy(() -> codec.decodeCommand("{\"id\":\"x2\"}"))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.re()).isEqualTo("x2"));
        assertThatThrownBy(() -> codec.decodeCommand("{\"type\":\"ping\",\"id\":\"" + "i".repeat(65) + "\"}"))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.re()).isNull());
        assertThatThrownBy(() -> codec.decodeCommand("{\"type\":\"call.invite\",\"id\":\"x3\",\"to\":[],\"media\":\"audio\"}"))
                .hasMessageContaining("to");
        assertThatThrownBy(() -> codec.decodeCommand(
                "{\"type\":\"call.decline\",\"id\":\"x4\",\"callId\":\"c\",\"reason\":\"no_answer\"}"))
                .hasMessageContaining("reason");
    }

    @Test
    void anEventWithAValueFromANewerServerStillCarriesItsSeq() throws Exception {
        ServerFrame frame = codec.decodeServerFrame(
                "{\"type\":\"call.ended\",\"seq\":4,\"callId\":\"c-1\",\"reason\":\"teleported\"}");
        assertThat(frame).isEqualTo(new ServerFrame.EventFrame(4, "call.ended", null));
    }

    @Test
    void roomNamesAreLettersDigitsDashUnderscoreAndDot() {
        assertThatThrownBy(() -> codec.decodeCommand("{\"type\":\"room.join\",\"id\":\"1\",\"room\":\"no spaces\"}"))
                .hasMessageContaining("room");
        assertThatThrownBy(() -> codec.decodeCommand(
                "{\"type\":\"room.join\",\"id\":\"1\",\"room\":\"" + "r".repeat(129) + "\"}"))
                .hasMessageContaining("room");
    }

    @Test
    void unknownEventTypesStillCarryTheirSeq() throws Exception {
        ServerFrame frame = codec.decodeServerFrame("{\"type\":\"call.future_thing\",\"seq\":9,\"x\":1}");
        assertThat(frame).isEqualTo(new ServerFrame.EventFrame(9, "call.future_thing", null));
    }
}
