package io.etcdj.server.transport;

/**
 * What the peer transport reports about its traffic, for etcd's etcd_network_peer_* metrics.
 * Called from stream and prober threads; implementations must be thread-safe and must not block.
 */
public interface PeerTraffic {
    /** Reports nothing anywhere. */
    PeerTraffic NONE = new PeerTraffic() {
        @Override
        public void sent(long to, int bytes) {}

        @Override
        public void received(long from, int bytes) {}

        @Override
        public void roundTrip(long to, long nanos) {}
    };

    /** A batch of {@code bytes} (serialized) went out to member {@code to}. */
    void sent(long to, int bytes);

    /** A batch of {@code bytes} (serialized) came in from member {@code from} and was accepted. */
    void received(long from, int bytes);

    /** A probe of member {@code to} was answered {@code nanos} after it was sent. */
    void roundTrip(long to, long nanos);
}
