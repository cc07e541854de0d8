package dev.dialtone.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dialtone.protocol.Media;
import dev.dialtone.protocol.WireCodec;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class InviteOptionsTest {

    @Test
    void defaultsAndWithers() {
        InviteOptions plain = InviteOptions.to("bob");
        assertThat(plain.invitees()).containsExactly("bob");
        assertThat(plain.media()).isEqualTo(Media.AUDIO);
        assertThat(plain.payload()).isNull();
        assertThat(plain.timeout()).isEmpty();

        ObjectNode payload = WireCodec.get().mapper().createObjectNode().put("topic", "x");
        InviteOptions full = plain.media(Media.VIDEO).payload(payload).timeout(Duration.ofSeconds(20));
        assertThat(full.media()).isEqualTo(Media.VIDEO);
        assertThat(full.timeout()).contains(Duration.ofSeconds(20));
        assertThat(full.payload()).isEqualTo(payload);
        assertThat(plain.media()).isEqualTo(Media.AUDIO); // immutable

        payload.put("topic", "changed");
        assertThat(full.payload().get("topic").asText()).isEqualTo("x");
        ((ObjectNode) full.payload()).put("topic", "changed too");
        assertThat(full.payload().get("topic").asText()).isEqualTo("x");
        assertThat(InviteOptions.to(List.of("bob", "carol")).invitees()).containsExactly("bob", "carol");
    }

    @Test
    void validatesAtOnce() {
        assertThatThrownBy(() -> InviteOptions.to()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one");
        assertThatThrownBy(() -> InviteOptions.to("bob", "bob")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> InviteOptions.to("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> InviteOptions.to("bob", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> InviteOptions.to("bob").media(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> InviteOptions.to("bob").timeout(Duration.ofMillis(999)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 1000 and 120000");
        assertThatThrownBy(() -> InviteOptions.to("bob").timeout(Duration.ofDays(365)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> InviteOptions.to("bob").payload(WireCodec.get().mapper().createArrayNode()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JSON object");
        ObjectNode big = WireCodec.get().mapper().createObjectNode().put("blob", "x".repeat(9000));
        assertThatThrownBy(() -> InviteOptions.to("bob").payload(big))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("8192");
    }
}
