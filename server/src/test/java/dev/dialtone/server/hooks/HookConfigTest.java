package dev.dialtone.server.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HookConfigTest {

    @Test
    void defaults() {
        HookConfig config = HookConfig.builder().url("https://biz.example.com/dialtone/hook").build();
        assertThat(config.enabled()).isTrue();
        assertThat(config.timeoutMs()).isEqualTo(2_000);
        assertThat(config.failOpen()).isFalse();
        assertThat(config.askOnHold()).isFalse();
        assertThat(config.secret()).isNull();
        assertThat(HookConfig.DISABLED.enabled()).isFalse();
        assertThat(HookConfig.builder().url("  ").build().url()).isNull();
    }

    @Test
    void validates() {
        assertThatThrownBy(() -> HookConfig.builder().url("http://h").timeoutMs(99).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("100–60000");
        assertThatThrownBy(() -> HookConfig.builder().url("http://h").timeoutMs(60_001).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(HookConfig.builder().url("http://h").timeoutMs(100).build().timeoutMs()).isEqualTo(100);
        assertThat(HookConfig.builder().url("http://h").timeoutMs(60_000).build().timeoutMs()).isEqualTo(60_000);
        assertThatThrownBy(() -> HookConfig.builder().url("ftp://h/x").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http");
        assertThatThrownBy(() -> HookConfig.builder().url("/relative").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HookConfig.builder().url("http://h").secret("short").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16 bytes");
    }

    @Test
    void keepsTheSecretPrivate() {
        byte[] secret = "0123456789abcdef-hook".getBytes();
        HookConfig config = HookConfig.builder().url("http://h").secret(secret).build();
        secret[0] = 'X';
        assertThat(config.secret()[0]).isEqualTo((byte) '0');
        config.secret()[1] = 'Y';
        assertThat(config.secret()[1]).isEqualTo((byte) '1');
        assertThat(config.toString()).doesNotContain("0123456789").contains("signed=true");
        assertThat(config).isEqualTo(HookConfig.builder().url("http://h").secret("0123456789abcdef-hook").build());
    }
}
