package dev.dialtone.cli.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientConfig;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.impl.WebSocketClientImpl;
import io.vertx.core.http.impl.tcp.TcpHttpClientTransport;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.impl.tcp.NetClientBuilder;
import io.vertx.core.net.impl.tcp.NetClientImpl;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The local addresses the load generator's sockets leave from. A TCP client socket bound to an
 * address takes one of that address's ephemeral ports (32768–60999 on Linux: about 28,000), so one
 * machine can hold 100,000 sockets to one server only when they leave from several addresses.
 * Every address of 127.0.0.0/8 is loopback on Linux, so 127.0.0.2, 127.0.0.3, … need no setup.
 *
 * <p>Ports are not the only reason to spread: Linux looks for a free port for each bound socket by
 * walking the ports already taken on its address, so a bind gets dearer as the address fills up.
 * Measured on the benchmark machine (15,000 sockets): 2.2 s of system CPU over 4 addresses, 3.9 s
 * over 2, 20 s over 1 — on one address the kernel's port search cost more than everything else
 * the load generator did. Hence the default of at most {@value #MAX_PER_ADDRESS} per address.
 */
final class SourceAddresses {
    /** Sockets one source address carries at most by default: far inside its ports, and cheap to bind. */
    static final int MAX_PER_ADDRESS = 5_000;
    private static final Path PORT_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

    private SourceAddresses() {
    }

    /** Enough addresses that each carries at most {@link #MAX_PER_ADDRESS} of {@code sessions}. */
    static int defaultCount(int sessions) {
        return Math.max(1, (sessions + MAX_PER_ADDRESS - 1) / MAX_PER_ADDRESS);
    }

    /** 127.0.0.2 … 127.0.0.(1+count). */
    static List<String> loopback(int count) {
        if (count < 0 || count > 253) {
            throw new IllegalArgumentException("--sources must be 0–253");
        }
        List<String> addresses = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            addresses.add("127.0.0." + (2 + i));
        }
        return addresses;
    }

    /** Whether {@code host} is an IPv4 loopback address (then 127.0.0.x sources reach it). */
    static boolean ipv4Loopback(String host) {
        try {
            InetAddress address = InetAddress.getByName(host);
            return address.isLoopbackAddress() && address instanceof Inet4Address;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Binds a socket to {@code address} once, so that a missing address fails before the run. */
    static void probe(String address) {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot bind a socket to the source address " + address + " ("
                    + e.getMessage() + "); on macOS add it with `sudo ifconfig lo0 alias " + address
                    + " up`, or pass --sources 0", e);
        }
    }

    /**
     * A WebSocket client whose sockets leave from {@code localAddress} (null: the system's choice).
     *
     * <p>Vert.x 5.2.0 accepts {@code WebSocketClientOptions#setLocalAddress} but drops it on the way
     * to the TCP client: {@code HttpClientConfig(HttpClientOptions)} builds its
     * {@code TcpClientConfig} from the {@code ClientOptionsBase} constructor, which does not copy the
     * local address, so every socket leaves from 127.0.0.1 (eclipse-vertx/vert.x#2335 and #6320
     * rework this). Until that is released, this builds the client as
     * {@code Vertx#createWebSocketClient} does, with the local address set on its TCP
     * configuration. The classes are Vert.x internals, so an upgrade that changes them fails the
     * build, not the run; and the scenario checks every socket's local address anyway.
     */
    static WebSocketClient client(Vertx vertx, WebSocketClientOptions options, String localAddress) {
        if (localAddress == null) {
            return vertx.createWebSocketClient(options);
        }
        VertxInternal internal = (VertxInternal) vertx;
        HttpClientOptions http = new HttpClientOptions(options).setDefaultHost(options.getDefaultHost())
                .setDefaultPort(options.getDefaultPort()).setVerifyHost(options.isVerifyHost()).setShared(false)
                .setName(options.getName()).setUseAlpn(false).setProtocolVersion(HttpVersion.HTTP_1_1);
        HttpClientConfig config = new HttpClientConfig(http);
        config.getTcpConfig().setLocalAddress(SocketAddress.inetSocketAddress(0, localAddress));
        NetClientImpl tcp = new NetClientBuilder(internal, config.getTcpConfig()).protocol("http")
                .sslOptions(options.getSslOptions()).sslEngineOptions(options.getSslEngineOptions()).build();
        return new WebSocketClientImpl(internal, http, options, TcpHttpClientTransport.create(tcp, config, false, null),
                null);
    }

    /** How many ephemeral ports this system hands out per source address; 28,232 where it does not say. */
    static int ephemeralPorts() {
        try {
            String[] range = Files.readString(PORT_RANGE).trim().split("\\s+");
            return Integer.parseInt(range[1]) - Integer.parseInt(range[0]) + 1;
        } catch (IOException | RuntimeException e) {
            return 60_999 - 32_768 + 1;
        }
    }
}
