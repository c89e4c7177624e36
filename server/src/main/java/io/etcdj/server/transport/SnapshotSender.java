package io.etcdj.server.transport;

import com.google.protobuf.ByteString;
import io.etcdj.raft.SnapshotStatus;
import io.etcdj.raft.pb.Message;
import io.etcdj.server.pb.PeerAck;
import io.etcdj.server.pb.SnapshotChunk;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Sends one MsgSnap with a checkpoint of the backend to a lagging member: makes the checkpoint in
 * a scratch directory, streams the message and then every file in 1 MiB chunks, and reports the
 * outcome to raft (FINISH once the receiver acknowledged, FAILURE otherwise). Runs on the
 * peer's sender thread, which sends nothing else meanwhile (as etcd's snapshot sender).
 */
public final class SnapshotSender {
    private static final int CHUNK_BYTES = 1024 * 1024;

    /** Writes a consistent, openable copy of the backend to a directory that must not exist. */
    @FunctionalInterface
    public interface Checkpointer {
        void checkpoint(Path target) throws IOException;
    }

    private SnapshotSender() {}

    static void send(ManagedChannel channel, long clusterId, Message msgSnap, Checkpointer checkpointer, Path scratch,
                     PeerTransport.RaftFeedback feedback) {
        long peer = msgSnap.getTo();
        Path dir = scratch.resolve("outgoing-" + Long.toHexString(peer) + "-" + System.nanoTime());
        try {
            checkpointer.checkpoint(dir);
            CompletableFuture<PeerAck> done = new CompletableFuture<>();
            StreamObserver<SnapshotChunk> out = ClientCalls.asyncClientStreamingCall(
                    channel.newCall(PeerMethods.SNAPSHOT, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.MINUTES)),
                    new StreamObserver<>() {
                        @Override
                        public void onNext(PeerAck value) {
                            done.complete(value);
                        }

                        @Override
                        public void onError(Throwable t) {
                            done.completeExceptionally(t);
                        }

                        @Override
                        public void onCompleted() {
                            done.complete(PeerAck.getDefaultInstance());
                        }
                    });
            out.onNext(SnapshotChunk.newBuilder().setMessage(msgSnap).setClusterId(clusterId).build());
            List<Path> files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.filter(Files::isRegularFile).sorted().toList();
            }
            byte[] buf = new byte[CHUNK_BYTES];
            for (Path f : files) {
                String name = f.getFileName().toString();
                out.onNext(SnapshotChunk.newBuilder().setFile(name).build()); // creates an empty file
                try (InputStream in = Files.newInputStream(f)) {
                    int n;
                    while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
                        out.onNext(SnapshotChunk.newBuilder().setFile(name).setData(ByteString.copyFrom(buf, 0, n)).build());
                    }
                }
            }
            out.onCompleted();
            done.get(10, TimeUnit.MINUTES);
            feedback.snapshot(peer, SnapshotStatus.FINISH);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            feedback.unreachable(peer);
            feedback.snapshot(peer, SnapshotStatus.FAILURE);
        } finally {
            deleteRecursively(dir);
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // scratch space; best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
