package dev.dialtone.cli;

import dev.dialtone.cli.softphone.Softphone;
import dev.dialtone.cli.softphone.TokenSource;
import java.io.Console;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Reader;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dialtone call}: the terminal softphone. Signs in (a development token for {@code --user},
 * or {@code --token}) and reads commands from the terminal: {@code call bob}, {@code accept},
 * {@code hold}, {@code hangup}, {@code help}…
 */
@Command(name = "call", mixinStandardHelpOptions = true,
        description = {"The terminal softphone: sign in, then call people and answer their calls.",
                "Type `help` at its prompt for the commands."},
        footer = {"", "Examples:",
                "  ./dialtone call --user alice",
                "      on a development server (any name works)",
                "  ./dialtone call --token \"$(./dialtone token alice)\"",
                "      on a server with DIALTONE_SECRET",
                "",
                "Exit status: 0 after `quit`; 1 when it cannot sign in or the server ends",
                "the session; 2 for wrong options."})
final class CallCommand implements Callable<Integer> {
    /** The SDK logs through System.Logger, which is java.util.logging here; kept so the level sticks. */
    private static final Logger SDK_LOG = Logger.getLogger("dev.dialtone.client");

    @Spec
    CommandSpec spec;

    @Option(names = "--user", paramLabel = "NAME",
            description = "Development mode: sign in as NAME with a token from the server's POST /dev/token.")
    String user;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "Sign in with this token (default: DIALTONE_TOKEN). Prefer the variable: "
                    + "flags show in the process list.")
    String token;

    @Option(names = "--server", paramLabel = "URL", defaultValue = "${env:DIALTONE_SERVER:-ws://localhost:8080/v1/ws}",
            description = "The server (DIALTONE_SERVER, default ${DEFAULT-VALUE}).")
    String server;

    @Option(names = "--device", paramLabel = "NAME", defaultValue = "terminal",
            description = "This device's name (default ${DEFAULT-VALUE}). A newer login of the same user on the "
                    + "same device replaces this one.")
    String device;

    // Seams for tests; the real command uses the process's.
    Function<String, String> env = System::getenv;
    Reader in;
    PrintWriter out;
    Boolean terminal;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        String envToken = env.apply("DIALTONE_TOKEN");
        if (user != null && token != null) {
            return usage(err, "give either --user (development server) or --token, not both");
        }
        if (user == null && token == null && (envToken == null || envToken.isBlank())) {
            return usage(err, "who are you? sign in with --user NAME on a development server, or with --token TOKEN "
                    + "(or DIALTONE_TOKEN) on a server with a secret");
        }
        if (user != null && user.isBlank()) {
            return usage(err, "--user needs a name, e.g. --user alice");
        }
        URI uri;
        try {
            uri = serverUri(server);
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        }
        TokenSource tokens = user != null ? TokenSource.devServer(uri, user)
                : TokenSource.fixed(token != null ? token : envToken.strip());

        boolean onTerminal = terminal != null ? terminal : isTerminal();
        boolean colour = onTerminal && env.apply("NO_COLOR") == null;
        quietSdkLogging();
        Softphone.Options options = new Softphone.Options(uri, tokens, device, onTerminal, colour,
                Duration.ofSeconds(10));
        Softphone phone;
        try {
            phone = new Softphone(options, in != null ? in : stdin(), out != null ? out : stdout());
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage()); // e.g. a device name of more than 128 characters
        }
        Thread hangUp = new Thread(phone::shutdown, "softphone-shutdown");
        Runtime.getRuntime().addShutdownHook(hangUp);
        try {
            return phone.run();
        } finally {
            phone.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hangUp);
            } catch (IllegalStateException e) {
                // already shutting down: the hook finds the phone closed
            }
        }
    }

    /**
     * The WebSocket URL from {@code --server}: {@code ws://} or {@code wss://}; {@code http(s)://}
     * is translated, and a URL without a path gets {@code /v1/ws}.
     */
    static URI serverUri(String text) {
        String example = " — e.g. ws://localhost:8080/v1/ws";
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--server is not a URL: " + text + example);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        scheme = switch (scheme) {
            case "ws", "http" -> "ws";
            case "wss", "https" -> "wss";
            default -> throw new IllegalArgumentException("--server must be a ws:// or wss:// URL, was " + text + example);
        };
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("--server has no host: " + text + example);
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/")
                ? "/v1/ws" : uri.getRawPath();
        return URI.create(scheme + "://" + uri.getRawAuthority() + path
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    }

    private int usage(PrintWriter err, String message) {
        err.println("dialtone call: " + message);
        err.println("Try `./dialtone call --help`.");
        err.flush();
        return 2;
    }

    /** Whether a person is at a terminal (not a pipe): System.console(), and on JDK 22+ Console.isTerminal(). */
    private static boolean isTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return true; // JDK 21: a console means a terminal
        }
    }

    private static Reader stdin() {
        Console console = System.console();
        Charset charset = console != null ? console.charset() : Charset.defaultCharset();
        return new InputStreamReader(System.in, charset);
    }

    private static PrintWriter stdout() {
        return new PrintWriter(new OutputStreamWriter(System.out, System.out.charset()), true);
    }

    /**
     * The SDK logs its connection life at INFO, which would interleave with the softphone's own
     * lines; the softphone says all of it in plain words. DIALTONE_LOG_LEVEL=debug brings it back.
     */
    private void quietSdkLogging() {
        String level = env.apply("DIALTONE_LOG_LEVEL");
        boolean debug = "debug".equalsIgnoreCase(level) || "trace".equalsIgnoreCase(level);
        SDK_LOG.setLevel(debug ? null : Level.OFF);
    }
}
