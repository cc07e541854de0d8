package dev.dialtone.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.dialtone.protocol.WireCodec;
import dev.dialtone.server.DialtoneServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/** Real HTTP calls to a server's admin API, with or without a bearer key. */
final class AdminHttp {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    private final int port;
    private final String authorization;

    private AdminHttp(int port, String authorization) {
        this.port = port;
        this.authorization = authorization;
    }

    /** Requests carrying {@code Authorization: Bearer <key>}. */
    static AdminHttp withKey(DialtoneServer server, String key) {
        return new AdminHttp(server.port(), "Bearer " + key);
    }

    /** Requests carrying this exact Authorization header; null for none. */
    static AdminHttp withAuthorization(DialtoneServer server, String header) {
        return new AdminHttp(server.port(), header);
    }

    static AdminHttp anonymous(DialtoneServer server) {
        return new AdminHttp(server.port(), null);
    }

    /** {@code path} is under /api/v1, e.g. {@code /calls?limit=2}. */
    Answer get(String path) {
        return send("GET", path, null);
    }

    Answer post(String path, String body) {
        return send("POST", path, body);
    }

    Answer send(String method, String path, String body) {
        return send(method, path, body, "application/json");
    }

    Answer send(String method, String path, String body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + AdminApi.BASE + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", contentType);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(method + " " + path, response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A query string from name/value pairs, URL-encoded; empty values are left out. */
    static String query(Map<String, ?> parameters) {
        String query = parameters.entrySet().stream().filter(e -> e.getValue() != null)
                .map(e -> e.getKey() + "=" + URLEncoder.encode(String.valueOf(e.getValue()), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return query.isEmpty() ? "" : "?" + query;
    }

    /** One response. */
    record Answer(String request, HttpResponse<String> response) {

        int status() {
            return response.statusCode();
        }

        String body() {
            return response.body();
        }

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        JsonNode json() {
            if (response.body().isEmpty()) {
                return MissingNode.getInstance();
            }
            try {
                return WireCodec.get().mapper().readTree(response.body());
            } catch (IOException e) {
                throw new AssertionError(request + " answered with invalid JSON: " + response.body(), e);
            }
        }

        /** Asserts the status and returns the JSON body. */
        JsonNode expect(int status) {
            assertThat(status()).as("%s answered %s", request, body()).isEqualTo(status);
            assertThat(header("content-type")).as("%s content-type", request).startsWith("application/json");
            return json();
        }

        /** Asserts an error answer: the status and {@code {"error":code,"message":…}}. */
        JsonNode expectError(int status, String code) {
            JsonNode body = expect(status);
            assertThat(body.path("error").asText()).as("%s error in %s", request, body).isEqualTo(code);
            assertThat(body.path("message").isTextual()).as("%s message in %s", request, body).isTrue();
            assertThat(body.path("message").asText()).as("%s message", request).isNotBlank();
            assertThat(body.size()).as("%s error body %s has only error and message", request, body).isEqualTo(2);
            return body;
        }
    }
}
