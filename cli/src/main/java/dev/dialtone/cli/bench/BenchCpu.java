package dev.dialtone.cli.bench;

import java.lang.management.ManagementFactory;

/** The load generator's own CPU use, so that a run shows it measured the server and not itself. */
final class BenchCpu {
    private BenchCpu() {
    }

    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }
}
