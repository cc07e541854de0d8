package dev.dialtone.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The memory gauges of /metrics: the JVM's heap and GC, and the process's resident memory. */
class MetricsMemoryTest {
    @Test
    void publishesHeapGcAndResidentMemory() {
        try (Metrics metrics = new Metrics()) {
            String text = metrics.scrape();
            assertThat(text).contains("jvm_memory_used_bytes{area=\"heap\"", "jvm_memory_committed_bytes{area=\"heap\"",
                    "jvm_gc_");
            if (ProcessMemory.residentBytes().isPresent()) {
                assertThat(text).containsPattern("(?m)^process_resident_memory_bytes [0-9.E]+$");
            }
        }
    }

    @Test
    void sessionGaugesSurviveAGarbageCollection() {
        try (Metrics metrics = new Metrics()) {
            metrics.sessions(() -> 3, () -> 1);
            metrics.rooms(() -> 2);
            System.gc();
            assertThat(metrics.scrape()).contains("dialtone_sessions{state=\"attached\"} 3.0",
                    "dialtone_sessions{state=\"detached\"} 1.0", "dialtone_rooms 2.0");
        }
    }

    @Test
    void readsVmRssInKilobytes() {
        assertThat(ProcessMemory.parseVmRss("Name:\tjava\nVmPeak:\t  900 kB\nVmRSS:\t  123456 kB\nThreads: 3\n"))
                .isEqualTo(OptionalLong.of(123456L * 1024));
        assertThat(ProcessMemory.parseVmRss("Name:\tjava\n")).isEmpty();
        if (System.getProperty("os.name").toLowerCase().contains("linux")) {
            assertThat(ProcessMemory.residentBytes()).isPresent();
            assertThat(ProcessMemory.residentBytes(ProcessHandle.current().pid())).isPresent();
        }
    }
}
