package dev.dialtone.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.server.DialtoneServer;
import dev.dialtone.server.ServerConfig;
import dev.dialtone.server.records.RecordsConfig;
import dev.dialtone.server.records.TcpProxy;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The browser softphone against a real server, in Debian's Chromium: two (or three) people in
 * browser contexts of their own sign in by name (development mode), call each other through the
 * page's controls, and real WebRTC audio and video flows between the pages, as their
 * {@code getStats()} shows. The screenshots of the main screens go to target/screenshots.
 */
class SoftphoneBrowserTest {
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final long RING_TIMEOUT_MS = 6_000;
    private static DialtoneServer server;
    private static Chromium chromium;
    private static String baseUrl;

    @BeforeAll
    static void start() {
        server = DialtoneServer.start(ServerConfig.builder()
                .host("127.0.0.1").port(0).secret(null)  // development mode: a name is enough to sign in
                .eventLoops(2).ringTimeoutMs(RING_TIMEOUT_MS).resumeWindowMs(30_000)
                .records(RecordsConfig.inMemory()).build());
        baseUrl = "http://localhost:" + server.port() + "/";
        chromium = Chromium.launch();
    }

    @AfterAll
    static void stop() {
        if (chromium != null) {
            chromium.close();
        }
        server.close();
    }

    private static String name(String base) {
        return base + NAMES.incrementAndGet();
    }

    @Test
    void aVideoCallCarriesMediaBothWaysHoldStopsItUnholdBringsItBackAndHangUpEndsItForBoth() {
        String alice = name("alice");
        String bob = name("bob");
        try (Softphone a = Softphone.signIn(chromium, baseUrl, alice);
             Softphone b = Softphone.signIn(chromium, baseUrl, bob)) {
            a.screenshot("home");
            a.dial(bob, true);
            a.visible("#outgoing");
            a.shows("#outgoing-status", "Ringing");
            a.screenshot("outgoing");

            b.visible("#incoming");
            b.shows("#incoming-from", alice);
            b.screenshot("incoming");
            b.accept();
            a.visible("#incall");

            for (String kind : new String[] {"audio", "video"}) {
                a.awaitReceiving(bob, kind, 5_000);
                b.awaitReceiving(alice, kind, 5_000);
            }
            a.shows("#incall-timer", "0:0");
            a.screenshot("in-call");

            a.click("#btn-hold");
            a.shows("#incall-status", "On hold");
            b.shows("#incall-status", alice);  // "<alice> put you on hold"
            // Toward the held side nothing flows any more, nor back from it.
            b.awaitNotReceiving(alice, "audio");
            b.awaitNotReceiving(alice, "video");
            a.awaitNotReceiving(bob, "video");
            b.screenshot("held");

            a.click("#btn-hold");  // resume
            b.awaitReceiving(alice, "video", 5_000);
            b.awaitReceiving(alice, "audio", 2_000);
            a.awaitReceiving(bob, "video", 5_000);

            b.click("#btn-hangup");
            a.visible("#ended");
            a.shows("#ended-reason", bob + " hung up");
            b.visible("#ended");
            b.shows("#ended-reason", "You hung up");
            a.screenshot("ended");

            a.visible("#home");
            a.visible("#history li.history-entry[data-outcome=outgoing]");
            b.visible("#history li.history-entry[data-outcome=answered]");
            assertThat(a.consoleErrors()).isEmpty();
            assertThat(b.consoleErrors()).isEmpty();
        }
    }

    @Test
    void aDeclinedCallTellsTheCallerInPlainWords() {
        String alice = name("alice");
        String bob = name("bob");
        try (Softphone a = Softphone.signIn(chromium, baseUrl, alice);
             Softphone b = Softphone.signIn(chromium, baseUrl, bob)) {
            a.dial(bob, false);
            b.decline();
            a.visible("#ended");
            a.shows("#ended-reason", bob + " declined");
            b.visible("#home");
        }
    }

    @Test
    void aCanceledCallIsAMissedCallForTheCallee() {
        String alice = name("alice");
        String bob = name("bob");
        try (Softphone a = Softphone.signIn(chromium, baseUrl, alice);
             Softphone b = Softphone.signIn(chromium, baseUrl, bob)) {
            a.dial(bob, true);
            b.visible("#incoming");
            a.shows("#outgoing-status", "Ringing");
            a.click("#outgoing-cancel");
            b.visible("#ended");
            b.shows("#ended-reason", "Missed call from " + alice);
            a.visible("#home");
            b.visible("#home");
            b.visible("#history li.history-entry.missed[data-outcome=missed]");
            b.screenshot("history-missed");
        }
    }

    @Test
    void anUnansweredCallEndsWithNoAnswer() {
        String alice = name("alice");
        String bob = name("bob");
        try (Softphone a = Softphone.signIn(chromium, baseUrl, alice);
             Softphone b = Softphone.signIn(chromium, baseUrl, bob)) {
            a.dial(bob, false);
            b.visible("#incoming");
            a.shows("#ended-reason", "No answer");
            b.hidden("#incoming");
        }
    }

    @Test
    void aCalleeInAnotherCallIsBusy() {
        String alice = name("alice");
        String bob = name("bob");
        String carol = name("carol");
        try (Softphone a = Softphone.signIn(chromium, baseUrl, alice);
             Softphone b = Softphone.signIn(chromium, baseUrl, bob);
             Softphone c = Softphone.signIn(chromium, baseUrl, carol)) {
            c.dial(bob, false);
            b.accept();
            c.visible("#incall");

            a.dial(bob, false);
            a.visible("#ended");
            a.shows("#ended-reason", bob + " is busy");
            b.visible("#incall");  // bob's call goes on untouched
        }
    }

    @Test
    void aServerErrorIsShownInPlainWordsAndThePageKeepsWorking() {
        String alice = name("alice");
        String bob = name("bob");
        try (Softphone a = Softphone.signIn(chromium, baseUrl, alice);
             Softphone b = Softphone.signIn(chromium, baseUrl, bob)) {
            a.dial(alice, false);  // calling yourself is refused by the server
            a.visible("#error-banner");
            a.screenshot("error");
            a.click("#error-dismiss");
            a.hidden("#error-banner");

            a.dial(bob, false);
            b.accept();
            a.visible("#incall");
            a.click("#btn-hangup");
            b.shows("#ended-reason", alice + " hung up");
        }
    }

    @Test
    void anAudioCallGainsVideoWhenACameraIsTurnedOn() {
        String alice = name("alice");
        String bob = name("bob");
        try (Softphone a = Softphone.signIn(chromium, baseUrl, alice);
             Softphone b = Softphone.signIn(chromium, baseUrl, bob)) {
            a.dial(bob, false);
            b.accept();
            b.awaitReceiving(alice, "audio", 2_000);
            assertThat(b.received(alice, "video")).isZero();

            a.click("#btn-camera");  // renegotiates: the call now carries alice's video
            b.awaitReceiving(alice, "video", 5_000);
            b.click("#btn-hangup");
            a.shows("#ended-reason", bob + " hung up");
        }
    }

    @Test
    void aDroppedWebSocketShowsReconnectingThenResumesWhileMediaKeepsFlowing() throws Exception {
        String alice = name("alice");
        String bob = name("bob");
        // Alice reaches the server through a proxy that can cut her connections; bob directly.
        try (TcpProxy proxy = TcpProxy.start(new InetSocketAddress("127.0.0.1", server.port()));
             Softphone a = Softphone.signIn(chromium, "http://localhost:" + proxy.port() + "/", alice);
             Softphone b = Softphone.signIn(chromium, baseUrl, bob)) {
            a.dial(bob, true);
            b.accept();
            b.awaitReceiving(alice, "video", 5_000);

            proxy.stop();  // resets alice's WebSocket and refuses new connections
            a.visible("#banner-reconnecting");
            b.shows("#incall-status", alice + " is reconnecting");
            a.screenshot("reconnecting");
            b.awaitReceiving(alice, "video", 5_000);  // media is peer to peer: it does not care
            a.awaitReceiving(bob, "video", 5_000);

            proxy.start();
            a.hidden("#banner-reconnecting");
            b.hidden("#incall-status:has-text('reconnecting')");
            a.visible("#incall");
            b.awaitReceiving(alice, "audio", 2_000);

            a.click("#btn-hangup");  // signaling works again after the resume
            b.shows("#ended-reason", alice + " hung up");
            a.shows("#ended-reason", "You hung up");
        }
    }

    @Test
    void theQuickStartExampleOfTheGuideCallsTheSoftphone() {
        String alice = name("alice");
        String bob = name("bob");
        try (Softphone a = Softphone.open(chromium, baseUrl + "examples/quickstart.html?user=" + alice, alice);
             Softphone b = Softphone.signIn(chromium, baseUrl, bob)) {
            a.shows("#status", "Signed in as " + alice);
            a.page.fill("#callee", bob);
            a.click("#dial button");
            b.accept();
            a.shows("#status", "In call");
            b.awaitReceiving(alice, "video", 5_000);
            b.awaitReceiving(alice, "audio", 2_000);
            a.click("#hangup");
            b.shows("#ended-reason", alice + " hung up");
            a.shows("#status", "Call ended: hangup");
        }
    }

    @Test
    void aGroupCallIsAMeshThatCarriesMediaBetweenEveryPair() {
        String alice = name("alice");
        String bob = name("bob");
        String carol = name("carol");
        try (Softphone a = Softphone.signIn(chromium, baseUrl, alice);
             Softphone b = Softphone.signIn(chromium, baseUrl, bob);
             Softphone c = Softphone.signIn(chromium, baseUrl, carol)) {
            a.dial(bob + ", " + carol, true);  // several users, separated by commas, ring at once
            b.accept();
            c.accept();
            a.visible("#incall");

            a.awaitReceiving(bob, "video", 5_000);
            a.awaitReceiving(carol, "video", 5_000);
            b.awaitReceiving(alice, "video", 5_000);
            b.awaitReceiving(carol, "video", 5_000);  // the invitees' own pair, offered by one side only
            c.awaitReceiving(alice, "audio", 2_000);
            c.awaitReceiving(bob, "audio", 2_000);
            assertThat(a.page.locator("#remote-videos video.remote-video").count()).isEqualTo(2);
            a.screenshot("group-call");

            c.click("#btn-hangup");  // carol leaves; alice and bob talk on
            c.shows("#ended-reason", "You hung up");
            a.hidden("#remote-videos video.remote-video[data-user='" + carol + "']");
            a.awaitReceiving(bob, "video", 5_000);
            b.click("#btn-hangup");
            a.shows("#ended-reason", bob + " hung up");
        }
    }
}
