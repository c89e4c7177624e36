package io.etcdj.server.metrics;

import io.etcdj.server.transport.PeerTraffic;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Peer traffic as etcd counts it: bytes sent labelled {@code To}, bytes received labelled
 * {@code From}, and probe round trips labelled {@code To}; the label is the peer's member ID in
 * lower-case hex without leading zeros, as etcd prints IDs.
 */
public final class PeerTrafficMetrics implements PeerTraffic {
    private final MemberMetrics metrics;
    /** Each peer's byte counters, looked up once (they are bumped for every raft message batch). */
    private final Map<Long, CounterDataPoint> sentTo = new ConcurrentHashMap<>();
    private final Map<Long, CounterDataPoint> receivedFrom = new ConcurrentHashMap<>();

    public PeerTrafficMetrics(MemberMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void sent(long to, int bytes) {
        sentTo.computeIfAbsent(to, id -> metrics.peerSentBytes.labelValues(Long.toHexString(id))).inc(bytes);
    }

    @Override
    public void received(long from, int bytes) {
        receivedFrom.computeIfAbsent(from, id -> metrics.peerReceivedBytes.labelValues(Long.toHexString(id)))
                .inc(bytes);
    }

    @Override
    public void roundTrip(long to, long nanos) {
        metrics.peerRoundTripSeconds.labelValues(Long.toHexString(to)).observe(MemberMetrics.seconds(nanos));
    }
}
