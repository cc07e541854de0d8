package dev.dialtone.server.browser;

import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One person at the browser softphone: a browser context of its own, signed in by name on a
 * development-mode server. Methods act through the page's own controls, as a person would;
 * {@link #bytes} reads the page's WebRTC statistics through {@code window.dialtone.media}.
 */
final class Softphone implements AutoCloseable {
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final LocatorAssertions.IsVisibleOptions SOON =
            new LocatorAssertions.IsVisibleOptions().setTimeout(15_000);

    final String user;
    final Page page;
    private final BrowserContext context;
    private final List<String> consoleErrors = new ArrayList<>();

    private Softphone(String user, BrowserContext context) {
        this.user = user;
        this.context = context;
        this.page = context.newPage();
        page.onConsoleMessage(message -> {
            if ("error".equals(message.type())) {
                consoleErrors.add(message.text());
            }
        });
        page.onPageError(error -> consoleErrors.add("page error: " + error));
    }

    /** Opens {@code url} in a browser context of its own, for {@code user}. */
    static Softphone open(Chromium chromium, String url, String user) {
        Softphone phone = new Softphone(user, chromium.newContext());
        phone.page.navigate(url);
        return phone;
    }

    /** Opens the softphone at {@code baseUrl} and signs in as {@code user}. */
    static Softphone signIn(Chromium chromium, String baseUrl, String user) {
        Softphone phone = open(chromium, baseUrl, user);
        phone.visible("#signin");
        phone.page.fill("#signin-name", user);
        phone.page.click("#signin-button");
        phone.visible("#home");
        PlaywrightAssertions.assertThat(phone.page.locator("#me")).containsText(user);
        return phone;
    }

    void dial(String callee, boolean video) {
        page.fill("#dial-user", callee);
        page.click(video ? "#dial-video" : "#dial-audio");
    }

    void accept() {
        visible("#incoming");
        page.click("#incoming-accept");
        visible("#incall");
    }

    void decline() {
        visible("#incoming");
        page.click("#incoming-decline");
    }

    void click(String selector) {
        page.click(selector);
    }

    Locator visible(String selector) {
        Locator locator = page.locator(selector);
        PlaywrightAssertions.assertThat(locator).isVisible(SOON);
        return locator;
    }

    void hidden(String selector) {
        PlaywrightAssertions.assertThat(page.locator(selector))
                .isHidden(new LocatorAssertions.IsHiddenOptions().setTimeout(15_000));
    }

    void shows(String selector, String text) {
        PlaywrightAssertions.assertThat(page.locator(selector))
                .containsText(text, new LocatorAssertions.ContainsTextOptions().setTimeout(15_000));
    }

    /**
     * RTP payload bytes so far between this page and {@code peer}, from {@code getStats()}:
     * {@code audio.sent}, {@code audio.received}, {@code video.sent}, {@code video.received}.
     */
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Number>> bytes(String peer) {
        Object counts = page.evaluate("async (peer) => {"
                + " const media = window.dialtone.media;"
                + " if (!media) return null;"
                + " const all = await media.stats();"
                + " return all.get(peer) ?? null; }", peer);
        return counts == null ? Map.of() : (Map<String, Map<String, Number>>) counts;
    }

    long received(String peer, String kind) {
        return count(peer, kind, "received");
    }

    private long count(String peer, String kind, String direction) {
        Map<String, Number> perKind = bytes(peer).get(kind);
        return perKind == null ? 0 : perKind.get(direction).longValue();
    }

    /** Waits until bytes of {@code kind} from {@code peer} have grown by at least {@code delta}. */
    void awaitReceiving(String peer, String kind, long delta) {
        long from = received(peer, kind);
        awaitMedia("%s receiving %s from %s".formatted(user, kind, peer), Duration.ofMillis(250),
                () -> received(peer, kind) >= from + delta);
    }

    /** Waits until nothing more of {@code kind} arrives from {@code peer} (two readings a second apart agree). */
    void awaitNotReceiving(String peer, String kind) {
        long[] last = {-1};
        awaitMedia("%s no longer receiving %s from %s".formatted(user, kind, peer), Duration.ofMillis(1_000), () -> {
            long now = received(peer, kind);
            // Zero would also be "not growing": a page without media must not pass for a held one.
            boolean stalled = now > 0 && now == last[0];
            last[0] = now;
            return stalled;
        });
    }

    /** Awaits a media condition; on failure says what the page's peer connections were doing. */
    private void awaitMedia(String what, Duration poll, java.util.concurrent.Callable<Boolean> condition) {
        try {
            await(what).atMost(Duration.ofSeconds(20)).pollInterval(poll).until(condition);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            screenshot("FAILED-" + user);
            throw new AssertionError(what + " did not happen within 20 s; the page's media: " + mediaState()
                    + "; console errors: " + consoleErrors, e);
        }
    }

    /** Per peer: connection, ICE and signaling states, each transceiver's direction, and byte counts. */
    Object mediaState() {
        return page.evaluate("async () => {"
                + " const media = window.dialtone.media;"
                + " if (!media) return 'no CallMedia';"
                + " const out = { heldBy: media.call.heldBy, peers: {} };"
                + " for (const user of media.call.participants) {"
                + "   const pc = media.peer(user); if (!pc) continue;"
                + "   out.peers[user] = { connection: pc.connectionState, ice: pc.iceConnectionState,"
                + "     signaling: pc.signalingState, gathering: pc.iceGatheringState,"
                + "     transceivers: pc.getTransceivers().map(t => `${t.receiver.track.kind} ${t.direction}/${t.currentDirection}"
                + " sending:${!!t.sender.track}`),"
                + "     bytes: (await media.stats()).get(user) };"
                + " }"
                + " return JSON.stringify(out); }");
    }

    void screenshot(String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")));
    }

    List<String> consoleErrors() {
        return List.copyOf(consoleErrors);
    }

    @Override
    public void close() {
        context.close();
    }
}
