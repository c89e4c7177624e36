package io.etcdj.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.raft.SnapshotStatus;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.netty.NettyChannelBuilder;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario: a peer is down. The stream to it breaks again and again; each new attempt must not
 * wait for gRPC's own reconnect back-off (1 s growing to 120 s, during which a new call fails at
 * once), or a member that was down for minutes stays unreached for up to two minutes after it is
 * back (seen by hand: 15 s after a 90 s outage). The stream resets the channel's back-off before
 * every new attempt, so only its own 100 ms–2 s back-off applies.
 */
class PeerStreamReconnectTest {

    @TempDir
    Path scratch;

    @Test
    void everyReconnectToADownPeerResetsTheChannelsOwnBackOff() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            port = s.getLocalPort(); // nothing listens there once closed
        }
        CountingChannel channel = new CountingChannel(
                NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build());
        AtomicInteger unreachable = new AtomicInteger();
        PeerStream stream = new PeerStream(2, 1, 7, channel, new PeerTransport.RaftFeedback() {
            @Override
            public void unreachable(long peerId) {
                unreachable.incrementAndGet();
            }

            @Override
            public void snapshot(long peerId, SnapshotStatus status) {
            }
        }, target -> { }, scratch, PeerTraffic.NONE);
        stream.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (unreachable.get() < 4 && System.nanoTime() < deadline) {
                Thread.sleep(20); // polling a condition with a deadline
            }
            assertThat(unreachable.get()).as("broken streams to the down peer").isGreaterThanOrEqualTo(4);
            // Each broken stream is followed, before the next one opens, by a reset.
            assertThat(channel.resets.get()).isGreaterThanOrEqualTo(unreachable.get() - 1);
        } finally {
            stream.stop();
        }
    }

    /** A channel that counts {@link #resetConnectBackoff} and otherwise forwards. */
    private static final class CountingChannel extends ManagedChannel {
        final AtomicInteger resets = new AtomicInteger();
        private final ManagedChannel delegate;

        CountingChannel(ManagedChannel delegate) {
            this.delegate = delegate;
        }

        @Override
        public void resetConnectBackoff() {
            resets.incrementAndGet();
            delegate.resetConnectBackoff();
        }

        @Override
        public ConnectivityState getState(boolean requestConnection) {
            return delegate.getState(requestConnection);
        }

        @Override
        public ManagedChannel shutdown() {
            return delegate.shutdown();
        }

        @Override
        public boolean isShutdown() {
            return delegate.isShutdown();
        }

        @Override
        public boolean isTerminated() {
            return delegate.isTerminated();
        }

        @Override
        public ManagedChannel shutdownNow() {
            return delegate.shutdownNow();
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
            return delegate.awaitTermination(timeout, unit);
        }

        @Override
        public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
            return delegate.newCall(method, options);
        }

        @Override
        public String authority() {
            return delegate.authority();
        }
    }
}
