package dev.dialtone.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dialtone.cli.softphone.SignInException;
import dev.dialtone.cli.softphone.TokenSource;
import dev.dialtone.core.Clock;
import dev.dialtone.server.ServerConfig;
import dev.dialtone.server.auth.TokenService;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code dialtone bench}: a load generator that runs as its own process against a server started
 * separately. Tokens are signed with the server's secret, or fetched from a development server.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure a running Dialtone server.",
        subcommands = {BenchCommand.Calls.class, BenchCommand.Resume.class})
public final class BenchCommand {
    /** Held so the setting sticks: the SDK's per-connection INFO lines would drown the progress line. */
    private static final java.util.logging.Logger SDK_LOG = quietSdk();

    private static java.util.logging.Logger quietSdk() {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger("dev.dialtone.client");
        if (!"debug".equalsIgnoreCase(System.getenv("DIALTONE_LOG_LEVEL"))) {
            logger.setLevel(java.util.logging.Level.WARNING);
        }
        return logger;
    }

    @Option(names = "--url", defaultValue = "${env:DIALTONE_SERVER:-ws://127.0.0.1:8080/v1/ws}",
            description = "The server's WebSocket URL (default ${DEFAULT-VALUE}).")
    URI url;

    @Option(names = "--secret", defaultValue = "${env:DIALTONE_SECRET}",
            description = "The server's token secret (DIALTONE_SECRET); without it, tokens come from "
                    + "a development server's /dev/token.")
    String secret;

    @Option(names = "--json", description = "Print the results as one JSON object.")
    boolean json;

    @Spec
    CommandSpec spec;

    Function<String, String> tokens() {
        if (secret != null && !secret.isEmpty()) {
            TokenService signer = new TokenService(ServerConfig.builder().secret(secret).build().secret(),
                    Clock.system());
            return user -> signer.sign(user, Duration.ofHours(1));
        }
        return user -> {
            try {
                return TokenSource.devServer(url, user).token();
            } catch (SignInException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        };
    }

    void report(Map<String, Object> results) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(results));
        } else {
            results.forEach((key, value) -> out.printf("%-26s %s%n", key, value));
        }
        out.flush();
    }

    /** {@code dialtone bench calls}. */
    @Command(name = "calls", mixinStandardHelpOptions = true,
            description = "Run full call cycles (invite, ring, accept, hold, unhold, hang up) back to back "
                    + "from pairs of users; report calls per second, failures by code and latency percentiles.")
    static final class Calls implements Callable<Integer> {
        @picocli.CommandLine.ParentCommand
        BenchCommand bench;

        @Option(names = "--pairs", defaultValue = "50", description = "Caller/callee pairs (default ${DEFAULT-VALUE}).")
        int pairs;

        @Option(names = "--duration", defaultValue = "20", description = "Seconds measured (default ${DEFAULT-VALUE}).")
        int duration;

        @Option(names = "--warmup", defaultValue = "5", description = "Seconds run before measuring (default ${DEFAULT-VALUE}).")
        int warmup;

        @Override
        public Integer call() throws Exception {
            PrintWriter progress = bench.json ? new PrintWriter(java.io.Writer.nullWriter())
                    : bench.spec.commandLine().getErr();
            Map<String, Object> results = new CallsBench(bench.url, bench.tokens(), pairs, warmup * 1_000L,
                    duration * 1_000L, progress).run();
            bench.report(results);
            return ((Map<?, ?>) results.get("failures")).isEmpty() ? 0 : 1;
        }
    }

    /** {@code dialtone bench resume}. */
    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = "Cut the sockets of clients in calls again and again; report resume latency "
                    + "percentiles and any lost or duplicated event.")
    static final class Resume implements Callable<Integer> {
        @picocli.CommandLine.ParentCommand
        BenchCommand bench;

        @Option(names = "--pairs", defaultValue = "20", description = "Pairs of clients in calls (default ${DEFAULT-VALUE}).")
        int pairs;

        @Option(names = "--cuts", defaultValue = "500", description = "How many cuts in all (default ${DEFAULT-VALUE}).")
        int cuts;

        @Override
        public Integer call() throws Exception {
            PrintWriter progress = bench.json ? new PrintWriter(java.io.Writer.nullWriter())
                    : bench.spec.commandLine().getErr();
            Map<String, Object> results = new ResumeBench(bench.url, bench.tokens(), pairs, cuts, progress).run();
            bench.report(results);
            boolean clean = (int) results.get("lostEvents") == 0 && (int) results.get("duplicatedEvents") == 0
                    && (int) results.get("timeouts") == 0 && (int) results.get("resumeFailures") == 0;
            return clean ? 0 : 1;
        }
    }
}
