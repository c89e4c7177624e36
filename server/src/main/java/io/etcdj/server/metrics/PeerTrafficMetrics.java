package io.etcdj.server.metrics;

import io.etcdj.server.transport.PeerTraffic;

/**
 * Peer traffic as etcd counts it: bytes sent labelled {@code To}, bytes received labelled
 * {@code From}, and probe round trips labelled {@code To}; the label is the peer's member ID in
 * lower-case hex without leading zeros, as etcd prints IDs.
 */
public final class PeerTrafficMetrics implements PeerTraffic {
    private final MemberMetrics metrics;

    public PeerTrafficMetrics(MemberMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void sent(long to, int bytes) {
        metrics.peerSentBytes.labelValues(Long.toHexString(to)).inc(bytes);
    }

    @Override
    public void received(long from, int bytes) {
        metrics.peerReceivedBytes.labelValues(Long.toHexString(from)).inc(bytes);
    }

    @Override
    public void roundTrip(long to, long nanos) {
        metrics.peerRoundTripSeconds.labelValues(Long.toHexString(to)).observe(MemberMetrics.seconds(nanos));
    }
}
