package io.etcdj.server.transport;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;

/**
 * Since when a peer's link has been up without interruption (etcd's "active since"): the moment its
 * channel last became READY, forgotten as soon as it leaves READY. Follows the channel's state
 * changes until the channel is shut down.
 */
final class LinkActivity {
    private static final long DOWN = Long.MIN_VALUE;
    private final ManagedChannel channel;
    /** System.nanoTime() when the link came up, or DOWN. */
    private volatile long upSinceNanos = DOWN;

    LinkActivity(ManagedChannel channel) {
        this.channel = channel;
        follow();
    }

    /** Whether the link has been up since {@code sinceNanos} (a System.nanoTime() value) or earlier. */
    boolean upSince(long sinceNanos) {
        long up = upSinceNanos;
        return up != DOWN && up - sinceNanos <= 0;
    }

    private void follow() {
        ConnectivityState now = channel.getState(false);
        if (now == ConnectivityState.READY) {
            if (upSinceNanos == DOWN) {
                upSinceNanos = System.nanoTime();
            }
        } else {
            upSinceNanos = DOWN;
        }
        if (now != ConnectivityState.SHUTDOWN) {
            channel.notifyWhenStateChanged(now, this::follow);
        }
    }
}
