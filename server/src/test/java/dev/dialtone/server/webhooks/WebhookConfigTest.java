package dev.dialtone.server.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WebhookConfigTest {
    private static final String SECRET = "webhook-secret-0123456789";

    @Test
    void defaults() {
        WebhookConfig config = WebhookConfig.builder().url("https://biz.example.com/events").secret(SECRET).build();
        assertThat(config.enabled()).isTrue();
        assertThat(config.queueLimit()).isEqualTo(10_000);
        assertThat(config.maxAttempts()).isEqualTo(12);
        assertThat(config.initialBackoffMs()).isEqualTo(200);
        assertThat(config.maxBackoffMs()).isEqualTo(60_000);
        assertThat(config.lanes()).isEqualTo(4);
        assertThat(config.timeoutMs()).isEqualTo(5_000);
        assertThat(WebhookConfig.DISABLED.enabled()).isFalse();
        assertThat(config.toString()).doesNotContain(SECRET);
    }

    @Test
    void requiresASecretWithAUrl() {
        assertThatThrownBy(() -> WebhookConfig.builder().url("https://biz.example.com/events").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("DIALTONE_WEBHOOK_SECRET is required with DIALTONE_WEBHOOK_URL");
        assertThatThrownBy(() -> WebhookConfig.builder().url("https://biz.example.com/events").secret("").build())
                .hasMessage("DIALTONE_WEBHOOK_SECRET is required with DIALTONE_WEBHOOK_URL");
        assertThatThrownBy(() -> WebhookConfig.builder().url("https://biz.example.com/events").secret("fifteen-bytes!!").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 16 bytes");
        assertThat(WebhookConfig.builder().url("https://biz.example.com/events").secret("sixteen-bytes!!!").build().secret())
                .hasSize(16);
        assertThat(WebhookConfig.builder().build().enabled()).isFalse(); // no URL: no secret needed
    }

    @Test
    void validatesTheNumbers() {
        WebhookConfig.Builder base = WebhookConfig.builder().url("http://127.0.0.1:9/x").secret(SECRET);
        assertThatThrownBy(() -> base.queueLimit(0).build()).isInstanceOf(IllegalArgumentException.class);
        base.queueLimit(1);
        assertThatThrownBy(() -> base.maxAttempts(0).build()).isInstanceOf(IllegalArgumentException.class);
        base.maxAttempts(1);
        assertThatThrownBy(() -> base.initialBackoffMs(0).build()).isInstanceOf(IllegalArgumentException.class);
        base.initialBackoffMs(100);
        assertThatThrownBy(() -> base.maxBackoffMs(99).build()).isInstanceOf(IllegalArgumentException.class);
        base.maxBackoffMs(100);
        assertThatThrownBy(() -> base.lanes(0).build()).isInstanceOf(IllegalArgumentException.class);
        base.lanes(1);
        assertThatThrownBy(() -> base.timeoutMs(99).build()).isInstanceOf(IllegalArgumentException.class);
        base.timeoutMs(100);
        assertThatThrownBy(() -> base.url("mailto:x@y").build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DIALTONE_WEBHOOK_URL");
        assertThat(base.url("http://127.0.0.1:9/x").build().lanes()).isEqualTo(1);
    }
}
