package dev.dialtone.server.gateway;

/** The gateway's share of the configuration. */
public record ServerLimits(int maxFrameBytes, int maxBadFrames, int commandsPerSecond, long firstFrameTimeoutMs,
                           long heartbeatMs, long resumeWindowMs) {
}
