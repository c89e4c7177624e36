package io.etcdj.server.v3;

import io.grpc.netty.NettyServerBuilder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@code --grpc-keepalive-min-time}, {@code --grpc-keepalive-interval} and
 * {@code --grpc-keepalive-timeout} on the client port, as etcd sets gRPC's keepalive: a client
 * pinging more often than the minimum time (or with no call open) is sent away; the server pings
 * an idle connection every interval and closes it when no answer comes within the timeout.
 */
public record GrpcKeepalive(Duration minTime, Duration interval, Duration timeout) {
    /** etcd's defaults: 5 s, 2 h, 20 s. */
    public static final GrpcKeepalive DEFAULTS =
            new GrpcKeepalive(Duration.ofSeconds(5), Duration.ofHours(2), Duration.ofSeconds(20));

    void applyTo(NettyServerBuilder b) {
        b.permitKeepAliveTime(minTime.toNanos(), TimeUnit.NANOSECONDS)
                .permitKeepAliveWithoutCalls(false)
                .keepAliveTime(interval.toNanos(), TimeUnit.NANOSECONDS)
                .keepAliveTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
}
