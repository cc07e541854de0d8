package dev.dialtone.cli.softphone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Where the softphone's token comes from: given ({@code --token}, {@code DIALTONE_TOKEN}) or
 * fetched from a development server ({@code --user}: {@code POST /dev/token?user=NAME}). Asked once
 * per sign-in, before the WebSocket opens, so that failures are explained precisely.
 */
public interface TokenSource {

    /** A token to sign in with; blocks while fetching one. */
    String token() throws SignInException;

    /** A fixed token. */
    static TokenSource fixed(String token) {
        Objects.requireNonNull(token, "token");
        return () -> token;
    }

    /** Tokens for {@code user} from the development endpoint of the server at {@code server} (a ws:// URL). */
    static TokenSource devServer(URI server, String user) {
        return new DevTokens(server, user);
    }

    /**
     * The HTTP address of the development token endpoint for a WebSocket URL: same host and port,
     * {@code http} for {@code ws} and {@code https} for {@code wss}, and the path with
     * {@code /v1/ws} replaced by {@code /dev/token} (so a server behind a path prefix works too).
     */
    static URI devTokenUri(URI server, String user) {
        String scheme = "wss".equalsIgnoreCase(server.getScheme()) ? "https" : "http";
        String path = server.getRawPath() == null ? "" : server.getRawPath();
        if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.endsWith("/v1/ws")) {
            path = path.substring(0, path.length() - "/v1/ws".length());
        }
        return URI.create(scheme + "://" + server.getRawAuthority() + path + "/dev/token?user="
                + URLEncoder.encode(user, StandardCharsets.UTF_8));
    }

    /** {@code POST /dev/token?user=NAME}, answered {@code {"token":"…"}}. */
    final class DevTokens implements TokenSource {
        private static final ObjectMapper JSON = new ObjectMapper();

        private final URI server;
        private final String user;
        private final URI endpoint;

        DevTokens(URI server, String user) {
            this.server = Objects.requireNonNull(server, "server");
            this.user = Objects.requireNonNull(user, "user");
            this.endpoint = devTokenUri(server, user);
        }

        @Override
        public String token() throws SignInException {
            HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.noBody()).build();
            HttpResponse<String> response;
            // A client per sign-in, closed at once: no idle connection is left to the server.
            try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (ConnectException e) {
                throw new SignInException("the server is not reachable at " + server + " (connection refused) — "
                        + "is it running? start one with `./dialtone serve`", e);
            } catch (HttpTimeoutException e) {
                throw new SignInException("the server at " + server + " did not answer in time", e);
            } catch (IOException e) {
                throw new SignInException("the server is not reachable at " + server + " (" + describe(e) + ")", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SignInException("interrupted while fetching a token", e);
            }
            int status = response.statusCode();
            if (status == 404 || status == 405) {
                throw new SignInException("the server at " + server + " does not hand out development tokens (it runs "
                        + "with a secret) — sign in with --token instead; `./dialtone token " + user
                        + "` makes one with the server's secret");
            }
            if (status == 403) {
                throw new SignInException("the server hands out development tokens only to programs on its own "
                        + "machine — sign in with --token instead");
            }
            if (status == 400) {
                throw new SignInException("the server refused the user name `" + user + "`: "
                        + errorText(response.body()));
            }
            if (status != 200) {
                throw new SignInException("the server answered HTTP " + status + " to POST " + endpoint);
            }
            try {
                JsonNode token = JSON.readTree(response.body()).get("token");
                if (token == null || !token.isTextual() || token.asText().isEmpty()) {
                    throw new SignInException("the server's answer to POST " + endpoint + " has no token");
                }
                return token.asText();
            } catch (IOException e) {
                throw new SignInException("the server's answer to POST " + endpoint + " is not JSON", e);
            }
        }

        private static String errorText(String body) {
            try {
                JsonNode error = JSON.readTree(body).get("error");
                if (error != null && error.isTextual()) {
                    return error.asText();
                }
            } catch (IOException | RuntimeException e) {
                // not JSON: show the body as it is
            }
            return body == null || body.isBlank() ? "no reason given" : body.strip();
        }

        private static String describe(IOException e) {
            String message = e.getMessage();
            return message == null || message.isBlank() ? e.getClass().getSimpleName().toLowerCase(Locale.ROOT)
                    : message;
        }
    }
}
