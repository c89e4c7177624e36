package io.etcdj.server.transport;

import io.etcdj.raft.pb.Message;
import io.etcdj.server.membership.Membership;
import io.etcdj.server.pb.PeerAck;
import io.etcdj.server.pb.SnapshotChunk;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Receives a snapshot stream: writes the checkpoint files into {@code <snap>/incoming-<n>}, and when
 * the stream completes, renames that directory to {@link #receivedDir} of the snapshot's index
 * and only THEN steps the MsgSnap into raft, so that when raft hands the snapshot to the applier
 * its backend is already on disk.
 */
final class SnapshotReceiver implements StreamObserver<SnapshotChunk> {
    private final Path snapDir;
    private final Supplier<Membership> membership;
    private final Consumer<Message> raftInbox;
    private final StreamObserver<PeerAck> response;
    private Path incoming;
    private Message msgSnap;
    private OutputStream file;
    private String fileName;
    private boolean failed;

    SnapshotReceiver(Path snapDir, Supplier<Membership> membership, Consumer<Message> raftInbox,
                     StreamObserver<PeerAck> response) {
        this.snapDir = snapDir;
        this.membership = membership;
        this.raftInbox = raftInbox;
        this.response = response;
    }

    /** Where the backend checkpoint of the snapshot at {@code index} waits for the applier. */
    public static Path receivedDir(Path snapDir, long index) {
        return snapDir.resolve(String.format("received-%016x.db", index));
    }

    @Override
    public void onNext(SnapshotChunk chunk) {
        if (failed) {
            return;
        }
        try {
            if (msgSnap == null) {
                Membership m = membership.get();
                if (!chunk.hasMessage() || m == null || chunk.getClusterId() != m.clusterId()) {
                    fail(Status.FAILED_PRECONDITION.withDescription("snapshot from another cluster"));
                    return;
                }
                msgSnap = chunk.getMessage();
                incoming = snapDir.resolve("incoming-" + System.nanoTime());
                Files.createDirectories(incoming);
                return;
            }
            if (!chunk.getFile().equals(fileName)) {
                closeFile();
                if (chunk.getFile().contains("/") || chunk.getFile().contains("..")) {
                    fail(Status.INVALID_ARGUMENT.withDescription("bad file name"));
                    return;
                }
                fileName = chunk.getFile();
                file = Files.newOutputStream(incoming.resolve(fileName), StandardOpenOption.CREATE_NEW);
            }
            chunk.getData().writeTo(file);
        } catch (IOException e) {
            fail(Status.INTERNAL.withDescription("writing snapshot: " + e.getMessage()));
        }
    }

    @Override
    public void onError(Throwable t) {
        failed = true;
        cleanUp();
    }

    @Override
    public void onCompleted() {
        if (failed) {
            return;
        }
        try {
            closeFile();
            if (msgSnap == null) {
                fail(Status.INVALID_ARGUMENT.withDescription("empty snapshot stream"));
                return;
            }
            Path target = receivedDir(snapDir, msgSnap.getSnapshot().getMetadata().getIndex());
            SnapshotSender.deleteRecursively(target);
            Files.move(incoming, target, StandardCopyOption.ATOMIC_MOVE);
            raftInbox.accept(msgSnap);
            response.onNext(PeerAck.getDefaultInstance());
            response.onCompleted();
        } catch (IOException e) {
            fail(Status.INTERNAL.withDescription("storing snapshot: " + e.getMessage()));
        }
    }

    private void closeFile() throws IOException {
        if (file != null) {
            file.close();
            file = null;
        }
    }

    private void fail(Status status) {
        failed = true;
        cleanUp();
        response.onError(status.asRuntimeException());
    }

    private void cleanUp() {
        try {
            closeFile();
        } catch (IOException ignored) {
            // the directory goes anyway
        }
        if (incoming != null) {
            SnapshotSender.deleteRecursively(incoming);
        }
    }
}
