package dev.dialtone.server.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The resident memory of a process (its RSS: the pages it has in RAM, heap and everything off the
 * heap), read from {@code /proc/<pid>/status} ({@code VmRSS}). Linux only: elsewhere, and whenever
 * the file cannot be read, there is no value.
 *
 * <p>Thread-safe; every call reads the file afresh (a few hundred bytes).
 */
public final class ProcessMemory {
    private static final Path SELF = Path.of("/proc/self/status");

    private ProcessMemory() {
    }

    /** This process's resident memory in bytes, if the system tells. */
    public static OptionalLong residentBytes() {
        return residentBytes(SELF);
    }

    /** The resident memory of process {@code pid} in bytes, if the system tells. */
    public static OptionalLong residentBytes(long pid) {
        return residentBytes(Path.of("/proc", Long.toString(pid), "status"));
    }

    static OptionalLong residentBytes(Path status) {
        String text;
        try {
            text = Files.readString(status, StandardCharsets.ISO_8859_1);
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
        return parseVmRss(text);
    }

    /** The {@code VmRSS:   123456 kB} line of a {@code /proc/<pid>/status} text, in bytes. */
    static OptionalLong parseVmRss(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
                try {
                    long value = Long.parseLong(parts[0]);
                    long unit = parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? 1024 : 1;
                    return OptionalLong.of(value * unit);
                } catch (NumberFormatException e) {
                    return OptionalLong.empty();
                }
            }
        }
        return OptionalLong.empty();
    }

    /**
     * Registers {@code process_resident_memory_bytes} (the name Prometheus's own clients use) when
     * this system reports the resident memory; does nothing elsewhere.
     */
    static void register(MeterRegistry registry) {
        if (residentBytes().isEmpty()) {
            return;
        }
        Gauge.builder("process.resident.memory", () -> {
                    OptionalLong bytes = residentBytes();
                    return bytes.isPresent() ? (double) bytes.getAsLong() : Double.NaN;
                })
                .description("Resident memory of the server process (VmRSS of /proc/self/status)")
                .baseUnit(BaseUnits.BYTES)
                .register(registry);
    }
}
