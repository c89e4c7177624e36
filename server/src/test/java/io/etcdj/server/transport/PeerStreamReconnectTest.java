package io.etcdj.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.raft.SnapshotStatus;
import io.etcdj.raft.pb.Message;
import io.etcdj.raft.pb.MessageType;
import io.etcdj.server.pb.PeerBatch;
import io.etcdj.testsupport.Await;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.DataInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario: a peer is down, then comes back, then goes away again. While it is down, every
 * attempt to connect is reported as unreachable (with the stream's own short back-off, so a
 * peer that was down for minutes is reached again within two seconds of its return). Once it
 * listens, the stream connects, starts with the raft stream preface and a link heartbeat (an empty
 * batch), and the messages raft sends arrive as frames, in the order sent. When the peer closes the connection, it is unreachable
 * again.
 */
class PeerStreamReconnectTest {

    @TempDir
    Path scratch;

    @Test
    void aPeerThatComesBackGetsTheMessagesSentAfterwardsInOrder() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            port = s.getLocalPort(); // nothing listens there once closed
        }
        ManagedChannel snapshots = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        AtomicInteger unreachable = new AtomicInteger();
        PeerStream stream = new PeerStream(2, 1, 7, "http://127.0.0.1:" + port, MemberChannels.PLAINTEXT, snapshots,
                new PeerTransport.RaftFeedback() {
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
            Await.until(Duration.ofSeconds(30), "failed attempts to reach the down peer", () -> unreachable.get() >= 3);
            try (ServerSocket peer = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"))) {
                peer.setSoTimeout(10_000);
                try (Socket conn = peer.accept()) {
                    conn.setSoTimeout(10_000);
                    DataInputStream in = new DataInputStream(conn.getInputStream());
                    byte[] preface = new byte[RaftStreamWire.PREFACE.length];
                    in.readFully(preface);
                    assertThat(preface).isEqualTo(RaftStreamWire.PREFACE);
                    PeerBatch hello = PeerBatch.parseFrom(in.readNBytes(in.readInt()));
                    assertThat(hello.getMessagesCount()).as("a link heartbeat comes first").isZero();
                    assertThat(hello.getClusterId()).isEqualTo(7);
                    Await.until(Duration.ofSeconds(10), "the stream is up",
                            () -> stream.activity().upSince(System.nanoTime()));

                    stream.send(List.of(append(1), append(2)));
                    stream.send(List.of(append(3)));

                    List<Long> indexes = new ArrayList<>();
                    while (indexes.size() < 3) {
                        byte[] frame = new byte[in.readInt()];
                        in.readFully(frame);
                        PeerBatch batch = PeerBatch.parseFrom(frame);
                        assertThat(batch.getClusterId()).isEqualTo(7);
                        assertThat(batch.getFrom()).isEqualTo(1);
                        batch.getMessagesList().forEach(m -> indexes.add(m.getIndex()));
                    }
                    assertThat(indexes).containsExactly(1L, 2L, 3L);
                }
            }
            int before = unreachable.get();
            Await.until(Duration.ofSeconds(10), "the closed stream is reported", () -> unreachable.get() > before);
            assertThat(stream.activity().upSince(System.nanoTime())).as("the link is down").isFalse();
        } finally {
            stream.stop();
        }
    }

    private static Message append(long index) {
        return Message.newBuilder().setType(MessageType.MsgApp).setFrom(1).setTo(2).setIndex(index).build();
    }
}
