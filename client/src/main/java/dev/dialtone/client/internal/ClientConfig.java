package dev.dialtone.client.internal;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The settings of one client, validated by {@code DialtoneClient.Builder}.
 *
 * @param device the device name sent in {@code auth}, or null to let the server pick one
 */
public record ClientConfig(URI uri, Supplier<String> tokenSupplier, String device, Duration requestTimeout,
                           Duration connectTimeout) {
    public ClientConfig {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(tokenSupplier, "tokenSupplier");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
    }
}
