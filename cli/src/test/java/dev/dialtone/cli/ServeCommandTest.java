package dev.dialtone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code dialtone serve} refuses a wrong STUN/TURN setting at startup: one line, exit code 2, no server. */
class ServeCommandTest {

    private record Run(int exit, String err) {
    }

    private static Run serve(String... args) {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            String[] all = new String[args.length + 3];
            all[0] = "serve";
            all[1] = "--port";
            all[2] = "0";
            System.arraycopy(args, 0, all, 3, args.length);
            int exit = new CommandLine(new Dialtone()).setCaseInsensitiveEnumValuesAllowed(true).execute(all);
            return new Run(exit, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(original);
        }
    }

    @Test
    void anIceServerWithAnUnknownSchemeStopsTheServerInOneLine() {
        Run run = serve("--ice-servers", "[{\"urls\":\"http://stun.example.com\"}]");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("dialtone serve: DIALTONE_ICE_SERVERS: 'http://stun.example.com' must start "
                + "with stun:, stuns:, turn: or turns:" + System.lineSeparator());
    }

    @Test
    void aTurnSecretWithoutUrlsStopsTheServerAndIsNotPrinted() {
        Run run = serve("--turn-secret", "a-turn-secret-nobody-may-see");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("dialtone serve: DIALTONE_TURN_URLS is required with DIALTONE_TURN_SECRET"
                + System.lineSeparator());
        assertThat(serve("--turn-urls", "turn:turn.example.com").err())
                .contains("DIALTONE_TURN_SECRET is required with DIALTONE_TURN_URLS");
        assertThat(serve("--turn-secret", "a-turn-secret-nobody-may-see", "--turn-urls", "turn:t.example.com",
                "--turn-ttl-seconds", "10").err()).contains("DIALTONE_TURN_TTL_SECONDS").doesNotContain("nobody-may-see");
    }
}
