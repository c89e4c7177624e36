package io.etcdj.server;

import io.etcdj.api.etcdserverpb.DefragmentResponse;
import io.etcdj.api.etcdserverpb.HashKVRequest;
import io.etcdj.api.etcdserverpb.HashKVResponse;
import io.etcdj.api.etcdserverpb.HashResponse;
import io.etcdj.api.etcdserverpb.MoveLeaderRequest;
import io.etcdj.api.etcdserverpb.MoveLeaderResponse;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.mvcc.HashKvResult;
import io.etcdj.server.membership.Member;
import io.etcdj.server.membership.Membership;
import io.etcdj.server.raft.LeaderWaiters;
import io.etcdj.server.raft.RaftLoop;
import io.etcdj.server.snapshot.PackedSnapshot;
import io.etcdj.server.storage.ServerBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The member-local Maintenance operations (none goes through raft): defragment, hash, HashKV,
 * leadership transfer and backend snapshots. Work that scans or rewrites the backend runs on the
 * {@code maintenanceExecutor}, never on gRPC, raft-loop or applier threads; failures reach callers
 * as {@link EtcdException}s through {@link RaftEtcdServer}'s guard.
 */
final class MemberMaintenance {
    private final long memberId;
    private final Membership membership;
    private final RaftLoop loop;
    private final LeaderWaiters leaders;
    private final ServerBackend backend;
    private final Executor maintenanceExecutor;
    private final Path checkpointParent;
    private final Duration requestTimeout;
    private final AtomicLong checkpoints = new AtomicLong();

    /**
     * @param checkpointParent where snapshot checkpoints are made (on the backend's file system, so
     *     RocksDB can hard-link); each one is deleted when its stream ends
     */
    MemberMaintenance(long memberId, Membership membership, RaftLoop loop, LeaderWaiters leaders,
                      ServerBackend backend, Executor maintenanceExecutor, Path checkpointParent,
                      Duration requestTimeout) {
        this.memberId = memberId;
        this.membership = membership;
        this.loop = loop;
        this.leaders = leaders;
        this.backend = backend;
        this.maintenanceExecutor = maintenanceExecutor;
        this.checkpointParent = checkpointParent;
        this.requestTimeout = requestTimeout;
    }

    /** Answers an empty response: etcd's Defragment is the one maintenance call without a header. */
    CompletableFuture<DefragmentResponse> defragment() {
        return CompletableFuture.supplyAsync(() -> {
            backend.defragment();
            return DefragmentResponse.getDefaultInstance();
        }, maintenanceExecutor);
    }

    CompletableFuture<HashResponse> hash(Supplier<ResponseHeader> header) {
        return CompletableFuture.supplyAsync(() -> HashResponse.newBuilder().setHeader(header.get())
                .setHash(backend.hash()).build(), maintenanceExecutor);
    }

    /**
     * etcd's HashKV: the header's revision is the store's revision when hashing began, hash_revision
     * the revision hashed up to (the request's, or that current one for 0).
     */
    CompletableFuture<HashKVResponse> hashKv(HashKVRequest request, Supplier<ResponseHeader> header) {
        return CompletableFuture.supplyAsync(() -> {
            HashKvResult r = backend.hashKv(request.getRevision());
            return HashKVResponse.newBuilder().setHeader(header.get().toBuilder().setRevision(r.currentRev()))
                    .setHash(r.hash()).setCompactRevision(r.compactRev())
                    .setHashRevision(request.getRevision() > 0 ? request.getRevision() : r.currentRev()).build();
        }, maintenanceExecutor);
    }

    /**
     * Transfers leadership from this member (which must lead: else "not leader") to a voting member
     * (else "bad leader transferee"); completes once this member sees the transferee lead, or fails
     * with "leader transfer took too long" after the request timeout.
     */
    CompletableFuture<MoveLeaderResponse> moveLeader(MoveLeaderRequest request, Supplier<ResponseHeader> header) {
        if (loop.view().leader() != memberId) {
            return CompletableFuture.failedFuture(EtcdError.NOT_LEADER.exception());
        }
        long target = request.getTargetID();
        Member m = membership.member(target);
        if (m == null || m.learner()) {
            return CompletableFuture.failedFuture(EtcdError.BAD_LEADER_TRANSFEREE.exception());
        }
        CompletableFuture<Void> led = leaders.awaitLeader(target);
        loop.call(node -> {
            node.transferLeader(target);
            return null;
        });
        return led.orTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionallyCompose(err -> CompletableFuture.failedFuture(
                        EtcdError.TIMEOUT_LEADER_TRANSFER.exception()))
                .thenApply(v -> MoveLeaderResponse.newBuilder().setHeader(header.get()).build());
    }

    /** Deletes snapshot checkpoints a crash left behind in {@code checkpointParent} (call before start). */
    static void removeLeftoverCheckpoints(Path checkpointParent) throws IOException {
        if (!Files.isDirectory(checkpointParent)) {
            return;
        }
        try (DirectoryStream<Path> left = Files.newDirectoryStream(checkpointParent, "db.snapshot-*")) {
            for (Path dir : left) {
                PackedSnapshot.of(dir).close();
            }
        }
    }

    /** A consistent checkpoint of the committed backend, packed; the caller closes it when sent. */
    CompletableFuture<PackedSnapshot> snapshot() {
        return CompletableFuture.supplyAsync(() -> {
            Path dir = checkpointParent.resolve("db.snapshot-" + System.nanoTime() + "-" + checkpoints.incrementAndGet());
            backend.checkpoint(dir);
            try {
                return PackedSnapshot.of(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, maintenanceExecutor);
    }
}
