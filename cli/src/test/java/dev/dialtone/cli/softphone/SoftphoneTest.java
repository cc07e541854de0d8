package dev.dialtone.cli.softphone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.core.BusyPolicy;
import dev.dialtone.server.DialtoneServer;
import dev.dialtone.server.ServerConfig;
import dev.dialtone.server.records.RecordsConfig;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two (or three) softphones against a real server in-process, driven through pipes the way people
 * type at the five-minute tour's terminals. No mocks: the SDK talks WebSocket to the server.
 */
class SoftphoneTest {
    private static final String SECRET = "a-test-secret-that-is-at-least-32-bytes-long";

    private final List<AutoCloseable> open = new ArrayList<>();
    private DialtoneServer server;

    @AfterEach
    void tearDown() throws Exception {
        if (Boolean.getBoolean("softphone.dump")) { // -Dsoftphone.dump=true: print every screen
            for (AutoCloseable closeable : open) {
                if (closeable instanceof Terminal terminal) {
                    System.out.println("==== " + terminal + "\n"
                            + terminal.screen().replace("\u001b", "<ESC>").replace("\r", "<CR>"));
                }
            }
        }
        for (AutoCloseable closeable : open.reversed()) {
            try {
                closeable.close();
            } catch (Exception e) {
                // closed already (a test may stop its server)
            }
        }
    }

    /** Starts a server on 127.0.0.1 with the test secret; port 0 (any) unless the builder sets one. */
    private DialtoneServer server(ServerConfig.Builder config) {
        server = DialtoneServer.start(config.host("127.0.0.1").secret(SECRET).build());
        open.add(server);
        return server;
    }

    private DialtoneServer server() {
        return server(ServerConfig.builder().records(RecordsConfig.inMemory()).port(0));
    }

    private URI uri() {
        return URI.create("ws://127.0.0.1:" + server.port() + "/v1/ws");
    }

    private Terminal phone(String user) {
        return phone(user, "terminal");
    }

    private Terminal phone(String user, String device) {
        String token = server.tokens().sign(user, Duration.ofMinutes(5));
        Terminal terminal = Terminal.start(user + "@" + device,
                Softphone.Options.plain(uri(), TokenSource.fixed(token), device));
        open.add(terminal);
        return terminal;
    }

    /** alice calls bob and bob accepts; returns once both show the call as started. */
    private void connected(Terminal alice, Terminal bob) {
        alice.expect("signed in as alice");
        bob.expect("signed in as bob");
        call(alice, bob);
    }

    /** Both are signed in already. */
    private void call(Terminal alice, Terminal bob) {
        alice.type("call bob");
        alice.expect("calling bob…");
        alice.expect("ringing bob…");
        assertThat(bob.expect("📞 incoming audio call from alice")).endsWith("— type `accept` or `decline`");
        bob.type("accept");
        alice.expect("bob accepted");
        alice.expect("call started with bob (room r-");
        bob.expect("call started with alice (room r-");
    }

    @Test
    void theFiveMinuteTour_callAcceptHoldUnholdHangup() {
        server();
        Terminal alice = phone("alice");
        Terminal bob = phone("bob");
        assertThat(alice.expect("Dialtone softphone — signed in as alice"))
                .contains("(device terminal)").contains(uri().toString());
        assertThat(alice.expect("type `call bob` to call someone, `help` for more")).isNotBlank();
        bob.expect("signed in as bob");
        call(alice, bob);

        alice.type("hold");
        alice.expect("you put the call on hold");
        bob.expect("alice put the call on hold");

        alice.type("status");
        alice.expect("call c-");
        alice.expect("active for 0:");
        alice.expect("on hold by you");

        bob.type("calls");
        bob.expect("1 call on the server:");
        assertThat(bob.expect("alice  caller, joined, on hold, connected")).isNotBlank();
        assertThat(bob.expect("bob    joined, connected")).isNotBlank();

        bob.type("unhold");
        assertThat(bob.expect("cannot unhold:"))
                .isEqualTo("cannot unhold: only alice, who put the call on hold, can take it off hold [not_holder]");

        alice.type("unhold");
        alice.expect("you took the call off hold");
        bob.expect("alice took the call off hold");

        bob.type("hangup");
        assertThat(bob.expect("call ended: you hung up after 0:")).matches("\\d\\d:\\d\\d:\\d\\d  ■ .*");
        alice.expect("call ended: bob hung up after 0:");

        alice.type("status");
        alice.expect("no call right now");
        alice.type("quit");
        alice.expect("signed out — bye!");
        assertThat(alice.exitCode()).isZero();
        bob.endInput(); // Ctrl-D: same as quit
        bob.expect("signed out — bye!");
        assertThat(bob.exitCode()).isZero();
    }

    @Test
    void onATerminalThePromptShowsTheCallState() {
        server();
        String token = server.tokens().sign("alice", Duration.ofMinutes(5));
        Terminal alice = Terminal.start("alice", new Softphone.Options(uri(), TokenSource.fixed(token), "terminal",
                true, false, Duration.ofSeconds(10)));
        open.add(alice);
        Terminal bob = phone("bob");
        alice.expect("signed in as alice");
        alice.expect("\nalice > ");
        bob.expect("signed in as bob");
        alice.type("call bob");
        alice.expect("alice (calling bob…) > ");
        bob.expect("📞 incoming audio call from alice");
        bob.type("accept");
        alice.expect("call started with bob");
        alice.expect("alice (in call with bob) > ");
        alice.type("hold");
        alice.expect("you put the call on hold");
        alice.expect("alice (in call with bob, on hold) > ");
        bob.type("hold");
        alice.expect("bob put the call on hold");
        alice.type("unhold");
        alice.expect("you took the call off hold (still on hold by bob)");
        alice.expect("alice (in call with bob, on hold by bob) > ");
        // an event arriving while the prompt shows erases the prompt line first
        bob.type("hangup");
        alice.expect("\r\u001b[K");
        alice.expect("call ended: bob hung up");
        alice.expect("\nalice > ");
        assertThat(alice.screen()).doesNotContain("\u001b[3").doesNotContain("\u001b[1m");
    }

    @Test
    void declineBusy() {
        server();
        Terminal alice = phone("alice");
        Terminal bob = phone("bob");
        alice.expect("signed in as alice");
        bob.expect("signed in as bob");
        alice.type("call bob video");
        alice.expect("calling bob (video)…");
        bob.expect("📞 incoming video call from alice");
        bob.type("decline busy");
        bob.expect("you declined the call from alice (busy)");
        alice.expect("bob declined (busy)");
        alice.expect("call ended: bob is busy");
    }

    @Test
    void cancelBeforeAnswer() {
        server();
        Terminal alice = phone("alice");
        Terminal bob = phone("bob");
        alice.expect("signed in as alice");
        bob.expect("signed in as bob");
        alice.type("call bob");
        alice.expect("ringing bob…");
        bob.expect("📞 incoming audio call from alice");
        alice.type("cancel");
        alice.expect("call to bob canceled");
        bob.expect("missed call: alice canceled before you answered");
        bob.type("accept");
        bob.expect("there is no call to accept");
    }

    @Test
    void noAnswer() {
        server(ServerConfig.builder().records(RecordsConfig.inMemory()).port(0).ringTimeoutMs(1_000));
        Terminal alice = phone("alice");
        Terminal bob = phone("bob");
        alice.expect("signed in as alice");
        bob.expect("signed in as bob");
        alice.type("call bob");
        bob.expect("📞 incoming audio call from alice");
        alice.expect("no answer from bob");
        alice.expect("call ended: no answer");
        bob.expect("missed call from alice (no answer)");
    }

    @Test
    void quitHangsUpForTheOtherSide() {
        server();
        Terminal alice = phone("alice");
        Terminal bob = phone("bob");
        connected(alice, bob);
        alice.type("quit");
        alice.expect("call ended: you hung up");
        alice.expect("signed out — bye!");
        bob.expect("call ended: alice hung up");
        assertThat(alice.exitCode()).isZero();
    }

    @Test
    void aDroppedPeerIsReconnecting() {
        server();
        Terminal alice = phone("alice");
        Terminal bob = phone("bob");
        connected(alice, bob);
        bob.phone().close(); // the connection drops without a logout: the server waits for a resume
        alice.expect("bob is reconnecting…");
        alice.type("status");
        alice.expect("bob is reconnecting");
    }

    @Test
    void commandsExplainThemselves() {
        server();
        Terminal alice = phone("alice");
        alice.expect("signed in as alice");
        alice.type("hold");
        alice.expect("there is no call to hold — type `call NAME` to call someone");
        alice.type("acept");
        alice.expect("unknown command `acept` — did you mean `accept`?");
        alice.type("call");
        alice.expect("whom do you want to call?");
        alice.type("help");
        alice.expect("commands:");
        alice.expect("quit");
        alice.type("call carol");
        alice.expect("call ended: carol is offline");
    }

    @Test
    void callWaitingNeedsTheCallNamed() {
        server(ServerConfig.builder().records(RecordsConfig.inMemory()).port(0).busyPolicy(BusyPolicy.WAITING));
        Terminal alice = phone("alice");
        Terminal bob = phone("bob");
        Terminal carol = phone("carol");
        carol.expect("signed in as carol");
        connected(alice, bob);

        carol.type("call bob");
        String incoming = bob.expect("📞 incoming audio call from carol while you are in another call");
        assertThat(incoming).containsPattern("type `accept c-\\S+` or `decline busy c-\\S+`");
        bob.type("accept"); // the only ringing call
        carol.expect("bob accepted");
        bob.expect("call started with carol");

        bob.type("hold");
        bob.expect("which call? c-");
        bob.type("hold carol");
        bob.expect("you put the call on hold");
        carol.expect("bob put the call on hold");
        bob.type("hangup alice");
        alice.expect("call ended: bob hung up");
        bob.type("hangup");
        carol.expect("call ended: bob hung up");
    }

    @Test
    void aNewerLoginOnTheSameDeviceSignsTheOldOneOut() {
        server();
        Terminal first = phone("alice", "laptop");
        first.expect("signed in as alice");
        Terminal second = phone("alice", "laptop");
        second.expect("signed in as alice");
        assertThat(first.expect("replaced by a newer login"))
                .contains("signed out: this session was replaced by a newer login of alice on the same device [4409]");
        assertThat(first.exitCode()).isEqualTo(Softphone.EXIT_SIGNED_OUT);
    }

    @Test
    void aServerRestartEndsTheSessionAndReconnectSignsInAgain() {
        server();
        int port = server.port();
        Terminal alice = phone("alice");
        alice.expect("signed in as alice");
        server.close();
        alice.expect("connection lost — reconnecting…");
        server(ServerConfig.builder().records(RecordsConfig.inMemory()).port(port)); // the same secret, so the token is still good
        alice.type("reconnect"); // try now rather than after the backoff
        alice.expect("could not reconnect: the server no longer knows this session (it probably restarted) [unknown]");
        alice.expect("you are signed out — type `reconnect` to sign in again, or `quit`");
        alice.type("call bob");
        alice.expect("cannot call bob: not connected — type `reconnect` to sign in again");
        alice.type("reconnect");
        alice.expect("signed in again as alice");
        alice.type("status");
        alice.expect("no call right now");
    }

    @Test
    void reconnectResumesTheSessionWithTheCallKept() {
        server();
        Terminal alice = phone("alice");
        Terminal bob = phone("bob");
        connected(alice, bob);
        bob.type("reconnect"); // as after a network change: drop the connection and resume at once
        bob.expect("reconnecting now…");
        bob.expect("connection lost — reconnecting…");
        bob.expect("reconnected — nothing was lost");
        alice.expect("bob is reconnecting…");
        alice.expect("bob is back");
        bob.type("hold");
        bob.expect("you put the call on hold");
        alice.expect("bob put the call on hold");
    }

    @Test
    void aRefusedTokenIsExplainedAndExitsNonZero() {
        server();
        DialtoneServer other = DialtoneServer.start(ServerConfig.builder().records(RecordsConfig.inMemory()).host("127.0.0.1").port(0)
                .secret("another-secret-that-is-at-least-32-bytes-long").build());
        open.add(other);
        String foreign = other.tokens().sign("alice", Duration.ofMinutes(5));
        Terminal alice = Terminal.start("alice", Softphone.Options.plain(uri(), TokenSource.fixed(foreign), "t"));
        open.add(alice);
        assertThat(alice.expect("cannot sign in:")).contains("the server refused the token [unauthorized]");
        assertThat(alice.exitCode()).isEqualTo(Softphone.EXIT_SIGNED_OUT);
    }

    @Test
    void anUnreachableServerIsExplainedAndExitsNonZero() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        URI nowhere = URI.create("ws://127.0.0.1:" + port + "/v1/ws");
        Terminal alice = Terminal.start("alice", Softphone.Options.plain(nowhere, TokenSource.fixed("x.y.z"), "t"));
        open.add(alice);
        assertThat(alice.expect("cannot sign in:")).contains("the server is not reachable at " + nowhere);
        assertThat(alice.exitCode()).isEqualTo(Softphone.EXIT_SIGNED_OUT);
    }

    @Test
    void aGroupCallGoesOnWhenOneLeaves() {
        server();
        Terminal alice = phone("alice");
        Terminal bob = phone("bob");
        Terminal carol = phone("carol");
        alice.expect("signed in as alice");
        bob.expect("signed in as bob");
        carol.expect("signed in as carol");

        alice.type("call bob carol");
        alice.expect("calling bob and carol…");
        bob.expect("📞 incoming audio call from alice");
        carol.expect("📞 incoming audio call from alice");
        bob.type("accept");
        alice.expect("call started with bob (room r-");
        bob.expect("call started with alice");
        carol.type("accept");
        alice.expect("carol joined the call");
        bob.expect("carol joined the call");
        carol.expect("call started with alice and bob");

        carol.type("hangup");
        carol.expect("call ended: you hung up");
        alice.expect("carol left the call");
        bob.expect("carol left the call");

        // the call goes on for alice and bob; carol joins it again by its id
        alice.type("status");
        String id = alice.expect("call c-").replaceAll(".*call (c-\\S+).*", "$1");
        alice.expect("with bob");
        carol.type("join " + id);
        carol.expect("joining call " + id);
        carol.expect("call started with alice and bob");
        alice.expect("carol joined the call");
        bob.expect("carol joined the call");

        alice.type("hangup");
        alice.expect("call ended: you hung up");
        bob.expect("alice left the call");
    }

    @Test
    void inviteRingsSomeoneIntoTheCurrentCall() {
        server();
        Terminal alice = phone("alice");
        Terminal bob = phone("bob");
        Terminal carol = phone("carol");
        carol.expect("signed in as carol");
        connected(alice, bob);

        bob.type("invite carol");
        bob.expect("inviting carol into the call…");
        carol.expect("📞 incoming audio call from alice");
        carol.type("accept");
        alice.expect("carol joined the call");
        bob.expect("carol joined the call");
        carol.expect("call started with alice and bob");
    }

    @Test
    void twoSoftphonesMeetInARoom() {
        server();
        Terminal alice = phone("alice");
        Terminal bob = phone("bob");
        alice.expect("signed in as alice");
        bob.expect("signed in as bob");

        alice.type("room join standup");
        alice.expect("you joined room standup as h-");
        alice.expect("nobody else is here yet");
        bob.type("room join standup");
        assertThat(bob.expect("you joined room standup as h-")).contains("with alice");
        alice.expect("bob joined room standup");

        alice.type("rooms");
        alice.expect("1 room:");
        alice.expect("standup  you as h-");
        alice.expect("bob  h-");

        bob.type("room leave");
        bob.expect("you left room standup");
        alice.expect("bob left room standup");
        bob.type("rooms");
        bob.expect("you are not in any room");
        bob.type("room leave standup");
        bob.expect("you are not in room standup");
    }

    @Test
    void onATerminalThePromptShowsTheRoom() {
        server();
        String token = server.tokens().sign("alice", Duration.ofMinutes(5));
        Terminal alice = Terminal.start("alice@tty", new Softphone.Options(uri(), TokenSource.fixed(token), "tty",
                true, false, Duration.ofSeconds(10)));
        open.add(alice);
        alice.expect("signed in as alice");
        alice.type("room join standup");
        alice.expect("you joined room standup");
        alice.expect("alice (in room standup) > ");
    }
}
