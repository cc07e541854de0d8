package dev.dialtone.cli.bench;

import java.lang.management.ManagementFactory;
import java.util.OptionalLong;

/**
 * CPU time: the load generator's own, so that a run shows it measured the server and not itself,
 * and a server's on the same machine.
 */
final class BenchCpu {
    private BenchCpu() {
    }

    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    /** The CPU time process {@code pid} of this machine has used so far, if the system tells. */
    static OptionalLong processCpuNanos(long pid) {
        return ProcessHandle.of(pid).flatMap(process -> process.info().totalCpuDuration())
                .map(cpu -> OptionalLong.of(cpu.toNanos())).orElse(OptionalLong.empty());
    }
}
