package dev.dialtone.cli;

import dev.dialtone.core.Clock;
import dev.dialtone.server.ServerConfig;
import dev.dialtone.server.auth.TokenService;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code dialtone token USER}: prints a client token signed with the configured secret. */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Print a client token for USER, signed with DIALTONE_SECRET.")
final class TokenCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "USER", description = "The user id (the token's sub).")
    String user;

    @Option(names = "--secret", defaultValue = "${env:DIALTONE_SECRET}",
            description = "HS256 key, at least 32 bytes (DIALTONE_SECRET).")
    String secret;

    @Option(names = "--ttl", defaultValue = "PT24H",
            description = "How long the token is valid, ISO-8601 (default ${DEFAULT-VALUE}).")
    Duration ttl;

    @Override
    public Integer call() {
        if (secret == null || secret.isEmpty()) {
            spec.commandLine().getErr().println("dialtone token: DIALTONE_SECRET is not set. A server in development "
                    + "mode hands out tokens itself: curl -X POST 'http://localhost:8080/dev/token?user=" + user + "'");
            return 2;
        }
        ServerConfig config;
        try {
            config = ServerConfig.builder().secret(secret).build();
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("dialtone token: " + e.getMessage());
            return 2;
        }
        spec.commandLine().getOut().println(new TokenService(config.secret(), Clock.system()).sign(user, ttl));
        return 0;
    }
}
