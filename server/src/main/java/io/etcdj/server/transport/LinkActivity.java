package io.etcdj.server.transport;

/**
 * Since when a peer's raft stream has been connected without interruption (etcd's "active
 * since"): set when a connection is up, forgotten as soon as it breaks. Written by the stream's
 * sender thread, read by any.
 */
final class LinkActivity {
    private static final long DOWN = Long.MIN_VALUE;
    /** System.nanoTime() when the link came up, or DOWN. */
    private volatile long upSinceNanos = DOWN;

    /** Whether the link has been up since {@code sinceNanos} (a System.nanoTime() value) or earlier. */
    boolean upSince(long sinceNanos) {
        long up = upSinceNanos;
        return up != DOWN && up - sinceNanos <= 0;
    }

    void up() {
        upSinceNanos = System.nanoTime();
    }

    void down() {
        upSinceNanos = DOWN;
    }
}
