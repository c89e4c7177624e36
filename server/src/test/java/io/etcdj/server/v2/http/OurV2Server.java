package io.etcdj.server.v2.http;

import io.etcdj.server.v2.local.SingleNodeV2Cluster;
import io.etcdj.testsupport.FreePorts;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Our v2 handlers on a {@link SingleNodeV2Cluster}, served by Netty on 127.0.0.1. */
final class OurV2Server implements AutoCloseable {
    static {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.netty"))
                .setLevel(ch.qos.logback.classic.Level.INFO);
    }

    final int clientPort;
    final int peerPort;
    final SingleNodeV2Cluster cluster;
    private final NettyV2HttpServer server;

    OurV2Server() throws IOException, InterruptedException {
        peerPort = FreePorts.onLoopback();
        int port = FreePorts.onLoopback();
        cluster = new SingleNodeV2Cluster("default", List.of("http://127.0.0.1:" + peerPort),
                List.of("http://127.0.0.1:" + port), 0x1234abcdL, 0x8e9e05c52164694dL, OurV2Server::nowNanos);
        server = new NettyV2HttpServer(new V2Router(cluster));
        clientPort = server.start("127.0.0.1", port);
        // the reference answered one /health (a QGET raft entry) when it was started; do the same
        RawHttp.send(clientPort, "GET", "/health", null, null);
    }

    static long nowNanos() {
        Instant t = Instant.now();
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    String clientUrl() { return "http://127.0.0.1:" + clientPort; }
    String peerUrl() { return "http://127.0.0.1:" + peerPort; }

    @Override
    public void close() {
        server.close();
    }
}
