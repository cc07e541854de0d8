package dev.dialtone.cli.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * What the server's {@code /metrics} says about its memory and sessions, and the other looks at
 * the server process the {@code sessions} scenario takes when it runs on the same machine: a full
 * garbage collection through {@code jcmd PID GC.run} (so that the heap figure is the live heap,
 * not the live heap plus whatever garbage has not been collected yet) and its open-files limit.
 */
final class ServerMemory {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private ServerMemory() {
    }

    /**
     * One reading of {@code /metrics}; a figure the server does not publish is NaN.
     *
     * @param rssBytes       {@code process_resident_memory_bytes}
     * @param heapUsedBytes  the sum of {@code jvm_memory_used_bytes{area="heap"}} over the pools
     * @param heapCommittedBytes the sum of {@code jvm_memory_committed_bytes{area="heap"}}
     * @param attached       {@code dialtone_sessions{state="attached"}}
     * @param detached       {@code dialtone_sessions{state="detached"}}
     */
    record Snapshot(double rssBytes, double heapUsedBytes, double heapCommittedBytes, double attached,
                    double detached) {
    }

    /** A sample line of the Prometheus text format: {@code name{labels} value}. */
    record Sample(String name, String labels, double value) {
    }

    /** {@code http://host:port/metrics} of the server whose WebSocket is at {@code ws} ({@code wss} → https). */
    static URI metricsUri(URI ws) {
        String scheme = "wss".equalsIgnoreCase(ws.getScheme()) || "https".equalsIgnoreCase(ws.getScheme())
                ? "https" : "http";
        int port = ws.getPort() >= 0 ? ws.getPort() : "https".equals(scheme) ? 443 : 80;
        return URI.create(scheme + "://" + hostForUri(ws.getHost()) + ":" + port + "/metrics");
    }

    private static String hostForUri(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** Reads and parses {@code /metrics}. */
    static Snapshot read(URI metrics) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(30))
                .GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() != 200) {
            throw new IOException("GET " + metrics + " answered " + response.statusCode());
        }
        return snapshot(parse(response.body()));
    }

    static Snapshot snapshot(List<Sample> samples) {
        return new Snapshot(sum(samples, "process_resident_memory_bytes", null),
                sum(samples, "jvm_memory_used_bytes", "area=\"heap\""),
                sum(samples, "jvm_memory_committed_bytes", "area=\"heap\""),
                sum(samples, "dialtone_sessions", "state=\"attached\""),
                sum(samples, "dialtone_sessions", "state=\"detached\""));
    }

    /** The sum of the samples named {@code name} whose labels contain {@code label}; NaN when there is none. */
    static double sum(List<Sample> samples, String name, String label) {
        double total = 0;
        boolean found = false;
        for (Sample sample : samples) {
            if (sample.name().equals(name) && (label == null || sample.labels().contains(label))) {
                total += sample.value();
                found = true;
            }
        }
        return found ? total : Double.NaN;
    }

    /** The samples of a Prometheus text exposition; comments and lines it cannot read are skipped. */
    static List<Sample> parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.indexOf(' ');
            String name;
            String labels = "";
            int rest;
            if (brace >= 0 && (space < 0 || brace < space)) {
                name = line.substring(0, brace);
                int close = closingBrace(line, brace);
                if (close < 0) {
                    continue;
                }
                labels = line.substring(brace + 1, close);
                rest = close + 1;
            } else if (space > 0) {
                name = line.substring(0, space);
                rest = space;
            } else {
                continue;
            }
            String[] tail = line.substring(rest).strip().split("\\s+");
            try {
                samples.add(new Sample(name, labels, Double.parseDouble(tail[0])));
            } catch (NumberFormatException e) {
                // not a sample line
            }
        }
        return samples;
    }

    /** The index of the '}' that closes the labels opened at {@code open}, skipping quoted values. */
    private static int closingBrace(String line, int open) {
        boolean quoted = false;
        for (int i = open + 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '}') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Runs {@code jcmd PID GC.run} (a full collection in the server) and waits for it; returns null
     * when it worked, or what went wrong.
     */
    static String collectGarbage(long pid) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        String command = Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd";
        try {
            Process process = new ProcessBuilder(command, Long.toString(pid), "GC.run").redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroy();
                return "jcmd " + pid + " GC.run did not finish within 60 s";
            }
            if (process.exitValue() != 0 || output.contains("Exception") || output.contains("not found")) {
                return "jcmd " + pid + " GC.run failed: " + output;
            }
            return null;
        } catch (IOException e) {
            return "cannot run jcmd: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** The soft limit of open files of process {@code pid} ({@code Max open files} of /proc/PID/limits). */
    static OptionalLong maxOpenFiles(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return "unlimited".equals(soft) ? OptionalLong.of(Long.MAX_VALUE)
                            : OptionalLong.of(Long.parseLong(soft));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no such process
        }
        return OptionalLong.empty();
    }

    /**
     * The user and system CPU time of process {@code pid} so far (fields 14 and 15 of
     * /proc/PID/stat, in clock ticks of 1/100 s, Linux's USER_HZ).
     */
    static OptionalLong cpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) is in parentheses and may contain spaces: count from after it.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return OptionalLong.of(ticks * 10_000_000L);
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** How many more files this process may open: its limit less those open; empty where the JVM cannot tell. */
    static OptionalLong ownFreeFileDescriptors() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean os) {
            return OptionalLong.of(os.getMaxFileDescriptorCount() - os.getOpenFileDescriptorCount());
        }
        return OptionalLong.empty();
    }

    /** This process's open-files limit; empty where the JVM cannot tell. */
    static OptionalLong ownMaxFileDescriptors() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean os) {
            return OptionalLong.of(os.getMaxFileDescriptorCount());
        }
        return OptionalLong.empty();
    }
}
