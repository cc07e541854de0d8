package dev.dialtone.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dialtone.protocol.WireCodec;
import dev.dialtone.server.gateway.WebFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The HTTP side of a real server: the web files (softphone and SDK from the dialtone-web module,
 * plus fixtures under server/src/test/resources/dialtone/web/test-fixture), their headers, and
 * that they leave the other endpoints alone.
 */
class HttpRoutesTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static DialtoneServer server;

    @BeforeAll
    static void start() {
        server = DialtoneServer.start(ServerTestSupport.config().build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> get(DialtoneServer on, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + on.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return get(server, path);
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = HttpRoutesTest.class.getClassLoader().getResourceAsStream(WebFiles.ROOT + "/" + path)) {
            assertThat(in).as("classpath resource %s/%s", WebFiles.ROOT, path).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    @Test
    void theRootServesTheSoftphonePageWithItsSecurityHeaders() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(header(page, "content-type")).startsWith("text/html").containsIgnoringCase("charset=utf-8");
        assertThat(page.body()).isEqualTo(resource("index.html"));
        assertThat(header(page, "content-security-policy"))
                .isEqualTo(WebFiles.CONTENT_SECURITY_POLICY)
                .contains("script-src 'self'", "connect-src 'self' ws: wss:", "media-src 'self' blob: mediastream:",
                        "frame-ancestors 'none'")
                .doesNotContain("unsafe-inline", "unsafe-eval");
        assertThat(header(page, "x-content-type-options")).isEqualTo("nosniff");
        assertThat(header(page, "referrer-policy")).isEqualTo("no-referrer");
        assertThat(header(page, "cache-control")).isEqualTo("no-cache");
        assertThat(get("/index.html").body()).isEqualTo(page.body());
    }

    @Test
    void filesAreRevalidatedNotCachedBlindly() throws Exception {
        HttpResponse<String> first = get("/sdk/dialtone.js");
        String lastModified = header(first, "last-modified");
        assertThat(lastModified).as("Last-Modified for revalidation").isNotBlank();
        assertThat(header(first, "cache-control")).isEqualTo("no-cache");
        HttpResponse<String> again = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/sdk/dialtone.js"))
                .header("If-Modified-Since", lastModified).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(header(again, "cache-control")).isEqualTo("no-cache");
    }

    @Test
    void theSdkIsServedAsJavaScriptAndItsTypesAsText() throws Exception {
        HttpResponse<String> sdk = get("/sdk/dialtone.js");
        assertThat(sdk.statusCode()).isEqualTo(200);
        assertThat(header(sdk, "content-type")).startsWith("text/javascript");
        assertThat(sdk.body()).isEqualTo(resource("sdk/dialtone.js"));
        HttpResponse<String> types = get("/sdk/dialtone.d.ts");
        assertThat(types.statusCode()).isEqualTo(200);
        // Vert.x would send no type at all (or video/mp2t, the other ".ts").
        assertThat(header(types, "content-type")).isEqualTo("text/plain; charset=utf-8");
    }

    @Test
    void contentTypesByExtension() throws Exception {
        assertThat(header(get("/test-fixture/module.mjs"), "content-type")).startsWith("text/javascript");
        assertThat(header(get("/test-fixture/style.css"), "content-type")).startsWith("text/css");
        assertThat(header(get("/test-fixture/dot.svg"), "content-type")).isEqualTo("image/svg+xml");
        assertThat(header(get("/test-fixture/types.d.ts"), "content-type")).isEqualTo("text/plain; charset=utf-8");
        assertThat(header(get("/test-fixture/module.mjs"), "x-content-type-options")).isEqualTo("nosniff");
    }

    @Test
    void noDirectoryListingsNoHiddenFilesNoMissingFiles() throws Exception {
        assertThat(get("/test-fixture/").statusCode()).isEqualTo(404);
        // A directory without its slash is redirected to it (and there gets the 404 above).
        HttpResponse<String> bare = get("/test-fixture");
        assertThat(bare.statusCode()).isEqualTo(301);
        assertThat(header(bare, "location")).isEqualTo("/test-fixture/");
        assertThat(get("/test-fixture/.hidden").statusCode()).isEqualTo(404);
        assertThat(get("/no-such-file.js").statusCode()).isEqualTo(404);
    }

    /**
     * Sent on a raw socket: an HTTP client would resolve the dot segments itself. The targets are
     * real classpath resources outside the web root (the test logging configuration, a class).
     */
    @ParameterizedTest
    @ValueSource(strings = {"/../logback-test.xml", "/../../logback-test.xml", "/sdk/../../../logback-test.xml",
            "/%2e%2e/%2e%2e/logback-test.xml", "/..%2f..%2flogback-test.xml", "/sdk/..%2f..%2f..%2flogback-test.xml",
            "/..%5c..%5clogback-test.xml", "/../../dev/dialtone/server/DialtoneServer.class",
            "/%2e%2e%2f%2e%2e%2fdev/dialtone/server/DialtoneServer.class"})
    void nothingOutsideTheWebRootIsServed(String path) throws Exception {
        String response = rawGet(path);
        String status = response.lines().findFirst().orElse("");
        assertThat(status).as("status line for %s", path).matches("HTTP/1\\.1 (400|403|404) .*");
        assertThat(response).doesNotContain("<configuration").doesNotContain("DialtoneServer");
    }

    @Test
    void dotSegmentsInsideTheRootResolveThere() throws Exception {
        assertThat(rawGet("/sdk/../index.html")).startsWith("HTTP/1.1 200").contains(resource("index.html"));
    }

    @Test
    void theOtherEndpointsStillAnswer() throws Exception {
        HttpResponse<String> health = get("/healthz");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");
        assertThat(header(health, "content-security-policy")).as("not a web file").isNull();
        assertThat(get("/metrics").body()).contains("dialtone_sessions");
        // The admin API keeps its own JSON 404 (it is off here), not the web files' one.
        HttpResponse<String> admin = get("/api/v1/calls");
        assertThat(admin.statusCode()).isEqualTo(404);
        assertThat(admin.body()).contains("\"disabled\"");
        // The WebSocket path without an upgrade is no file.
        assertThat(get("/v1/ws").statusCode()).isEqualTo(404);
        // Other methods are not file requests: a plain 404, not a 405 from the web files' route.
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/index.html"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(404);
        assertThat(header(post, "content-security-policy")).isNull();
        try (RawClient client = RawClient.signedIn(server, "web-alice", "d")) {
            assertThat(client.command("ping", o -> { }).path("type").asText()).isEqualTo("ok");
        }
    }

    @Test
    void clientConfigSaysATokenIsNeededWhenASecretIsConfigured() throws Exception {
        HttpResponse<String> response = get("/v1/client-config");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(header(response, "content-type")).startsWith("application/json");
        assertThat(response.body()).isEqualTo("{\"devMode\":false,\"websocketPath\":\"/v1/ws\"}");
    }

    @Test
    void clientConfigSaysANameIsEnoughInDevelopmentMode() throws Exception {
        try (DialtoneServer dev = DialtoneServer.start(ServerTestSupport.config().secret(null).build())) {
            JsonNode config = WireCodec.get().mapper().readTree(get(dev, "/v1/client-config").body());
            assertThat(config.path("devMode").asBoolean()).isTrue();
            assertThat(config.path("websocketPath").asText()).isEqualTo("/v1/ws");
            // What devMode promises: a name is enough.
            HttpResponse<String> token = HTTP.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + dev.port() + "/dev/token?user=web-bob"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(token.statusCode()).isEqualTo(200);
            // A GET is a file request, and there is no such file.
            assertThat(get(dev, "/dev/token?user=web-bob").statusCode()).isEqualTo(404);
            assertThat(get(dev, "/").statusCode()).isEqualTo(200);
        }
    }

    /** A GET with the path exactly as given, answered with headers and body as text. */
    private static String rawGet(String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(response);
            return response.toString(StandardCharsets.UTF_8);
        }
    }
}
