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
        subcommands = {BenchCommand.Calls.class, BenchCommand.Resume.class, BenchCommand.Sessions.class})
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

    @Option(names = "--url", scope = picocli.CommandLine.ScopeType.INHERIT, defaultValue = "${env:DIALTONE_SERVER:-ws://127.0.0.1:8080/v1/ws}",
            description = "The server's WebSocket URL (default ${DEFAULT-VALUE}).")
    URI url;

    @Option(names = "--secret", scope = picocli.CommandLine.ScopeType.INHERIT, defaultValue = "${env:DIALTONE_SECRET}",
            description = "The server's token secret (DIALTONE_SECRET); without it, tokens come from "
                    + "a development server's /dev/token.")
    String secret;

    @Option(names = "--json", scope = picocli.CommandLine.ScopeType.INHERIT, description = "Print the results as one JSON object.")
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

        @picocli.CommandLine.ArgGroup(exclusive = true)
        Pace pace = new Pace();

        @Option(names = "--server-pid", description = "The server's process id, when it runs on this machine: its "
                + "CPU use during the measured time is reported too (per cent of a core, ms per call).")
        Long serverPid;

        static final class Pace {
            @Option(names = "--rate", description = "Start this many calls per second overall (the pairs take turns).")
            double rate;

            @Option(names = "--max", description = "Run each pair's cycles back to back, as fast as the server goes (the default).")
            boolean max;
        }

        @Override
        public Integer call() throws Exception {
            if (pace.rate < 0) {
                throw new picocli.CommandLine.ParameterException(bench.spec.commandLine(), "--rate must be positive");
            }
            PrintWriter progress = bench.json ? new PrintWriter(java.io.Writer.nullWriter())
                    : bench.spec.commandLine().getErr();
            Map<String, Object> results = new CallsBench(bench.url, bench.tokens(), pairs, warmup * 1_000L,
                    duration * 1_000L, pace.max ? 0 : pace.rate, serverPid, progress).run();
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

    /** {@code dialtone bench sessions}. */
    @Command(name = "sessions", mixinStandardHelpOptions = true,
            description = {"Hold N signed-in idle sessions (each pings every heartbeatMs) for a duration; report how "
                    + "many connected and signed in, failures by reason, what was still alive at the end, the "
                    + "server's resident memory and heap per session (from its /metrics) and this process's CPU.",
                    "With --server-pid (a server on this machine), the heap is read after a full GC of the server "
                    + "(jcmd PID GC.run), so that it is the live heap; without, it is read as it is, garbage included.",
                    "Sockets leave from 127.0.0.2, 127.0.0.3, … (one address has ~28,000 ephemeral ports), and need "
                    + "an open file each on both sides: see ulimit -n."})
    static final class Sessions implements Callable<Integer> {
        @picocli.CommandLine.ParentCommand
        BenchCommand bench;

        @Option(names = "--sessions", defaultValue = "1000", description = "Sessions to hold (default ${DEFAULT-VALUE}).")
        int sessions;

        @Option(names = "--duration", defaultValue = "60",
                description = "Seconds to hold them once all signed in (default ${DEFAULT-VALUE}).")
        int duration;

        @Option(names = "--ramp", defaultValue = "" + SessionsBench.DEFAULT_RAMP_PER_SECOND,
                description = "Sign-ins started per second (default ${DEFAULT-VALUE}).")
        int ramp;

        @Option(names = "--sources", description = "Loopback source addresses 127.0.0.2 … 127.0.0.(1+K) to spread the "
                + "sockets over (default: enough that each carries at most 5,000, which keeps the kernel's port search cheap; 0: let the "
                + "system choose).")
        Integer sources;

        @Option(names = "--server-pid", description = "The server's process id, when it runs on this machine: the heap "
                + "is then measured after jcmd PID GC.run.")
        Long serverPid;

        @Override
        public Integer call() throws Exception {
            PrintWriter err = bench.spec.commandLine().getErr();
            PrintWriter progress = bench.json ? new PrintWriter(java.io.Writer.nullWriter()) : err;
            SessionsBench run;
            try {
                if (sessions < 1 || ramp < 1 || duration < 0) {
                    throw new IllegalArgumentException("--sessions and --ramp must be at least 1, --duration at least 0");
                }
                run = new SessionsBench(new SessionsBench.Settings(bench.url, bench.tokens(), sessions,
                        duration * 1_000L, ramp, SessionsBench.sources(bench.url, sources, sessions), serverPid), progress);
                run.preflight();
            } catch (IllegalArgumentException e) {
                err.println("dialtone bench sessions: " + e.getMessage());
                err.flush();
                return 2;
            }
            Map<String, Object> results = run.run();
            bench.report(results);
            return SessionsBench.clean(results) ? 0 : 1;
        }
    }
}
