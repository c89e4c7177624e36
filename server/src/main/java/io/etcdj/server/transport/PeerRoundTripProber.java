package io.etcdj.server.transport;

import io.etcdj.server.pb.MembersQuery;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.stub.ClientCalls;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Measures the round-trip time to every peer, as etcd's prober does: every {@link #INTERVAL}
 * (and once at start) a small unary call (the Members query) goes over each peer's link, and the
 * time until its answer is reported. Unanswered probes report nothing, so the histogram only
 * holds real round trips. One daemon thread; the calls themselves are asynchronous.
 */
public final class PeerRoundTripProber implements AutoCloseable {
    /** etcd probes each peer this often (its connection read timeout less a second). */
    public static final Duration INTERVAL = Duration.ofSeconds(4);
    private static final long PROBE_DEADLINE_MILLIS = 5_000;

    private final Supplier<Map<Long, Channel>> peers;
    private final PeerTraffic traffic;
    private final ScheduledExecutorService timer;

    /** @param peers the current link to each peer, by member ID */
    public PeerRoundTripProber(Supplier<Map<Long, Channel>> peers, PeerTraffic traffic, String memberName) {
        this.peers = peers;
        this.traffic = traffic;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "peer-prober-" + memberName);
            t.setDaemon(true);
            return t;
        });
    }

    public void start() {
        timer.scheduleWithFixedDelay(this::probeAll, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void probeAll() {
        peers.get().forEach(this::probe);
    }

    private void probe(long peerId, Channel channel) {
        long sent = System.nanoTime();
        try {
            var answer = ClientCalls.futureUnaryCall(channel.newCall(PeerMethods.MEMBERS,
                    CallOptions.DEFAULT.withDeadlineAfter(PROBE_DEADLINE_MILLIS, TimeUnit.MILLISECONDS)),
                    MembersQuery.getDefaultInstance());
            answer.addListener(() -> {
                try {
                    answer.get();
                    traffic.roundTrip(peerId, System.nanoTime() - sent);
                } catch (Exception e) {
                    // unanswered: no round trip to report
                }
            }, Runnable::run);
        } catch (RuntimeException e) {
            // the link is closing (member removed or stopping)
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
