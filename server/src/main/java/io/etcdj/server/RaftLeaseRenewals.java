package io.etcdj.server;

import io.etcdj.mvcc.MvccException;
import io.etcdj.mvcc.lease.Lessor;
import io.etcdj.mvcc.lease.NotPrimaryException;
import io.etcdj.server.apply.AppliedIndex;
import io.etcdj.server.membership.Member;
import io.etcdj.server.membership.Membership;
import io.etcdj.server.raft.RaftView;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Lease keep-alives on a raft member. The leader's primary lessor answers, once it has applied
 * everything committed (etcd's waitAppliedIndex: a grant committed but not yet applied here must
 * be found); a follower forwards the renewal to the leader through the {@link LeaseForwarder}.
 * While there is no leader, or the leader's lessor is not yet promoted (the empty entry of its
 * term is not applied), the renewal is tried again every {@value #RETRY_MILLIS} ms until the
 * request timeout.
 */
final class RaftLeaseRenewals {
    static final long RETRY_MILLIS = 50;

    private final RaftView raft;
    private final AppliedIndex appliedIndex;
    private final Supplier<Lessor> lessor;
    private final Membership membership;
    private final LeaseForwarder forwarder;
    private final Executor retries;
    private final long requestTimeoutMillis;
    private final BooleanSupplier stopped;

    RaftLeaseRenewals(RaftView raft, AppliedIndex appliedIndex, Supplier<Lessor> lessor, Membership membership,
                      LeaseForwarder forwarder, Executor retries, long requestTimeoutMillis, BooleanSupplier stopped) {
        this.raft = raft;
        this.appliedIndex = appliedIndex;
        this.lessor = lessor;
        this.membership = membership;
        this.forwarder = forwarder;
        this.retries = retries;
        this.requestTimeoutMillis = requestTimeoutMillis;
        this.stopped = stopped;
    }

    /** The lease's new TTL; a follower may forward only if {@code mayForward}. */
    CompletableFuture<Long> renew(long id, boolean mayForward) {
        return attempt(id, mayForward, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(requestTimeoutMillis));
    }

    private CompletableFuture<Long> attempt(long id, boolean mayForward, long deadline) {
        if (stopped.getAsBoolean()) {
            return CompletableFuture.failedFuture(EtcdError.STOPPED.exception());
        }
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
            return CompletableFuture.failedFuture(EtcdError.TIMEOUT.exception());
        }
        if (raft.isLeader() && appliedIndex.get() < raft.commitIndex()) {
            return appliedIndex.await(raft.commitIndex()).orTimeout(left, TimeUnit.MILLISECONDS)
                    .handle((x, err) -> err != null ? CompletableFuture.<Long>failedFuture(EtcdError.TIMEOUT.exception())
                            : onLeader(id, mayForward, deadline))
                    .thenCompose(Function.identity());
        }
        if (raft.isLeader()) {
            return onLeader(id, mayForward, deadline);
        }
        if (!mayForward) {
            return CompletableFuture.failedFuture(EtcdError.NOT_LEADER.exception());
        }
        Member leader = raft.leader() == 0 ? null : membership.member(raft.leader());
        if (leader == null || leader.clientUrls().isEmpty()) {
            return later(id, mayForward, deadline);
        }
        return forwarder.renew(leader, id, left).handle((ttl, err) -> {
            if (err == null) {
                return CompletableFuture.completedFuture(ttl);
            }
            Throwable cause = RaftEtcdServer.unwrap(err);
            if (cause instanceof EtcdException e && e.is(EtcdError.LEASE_NOT_FOUND)) {
                return CompletableFuture.<Long>failedFuture(e);
            }
            return later(id, mayForward, deadline);
        }).thenCompose(Function.identity());
    }

    /** A renewal by this member's lessor, which must be the primary one. */
    private CompletableFuture<Long> onLeader(long id, boolean mayForward, long deadline) {
        try {
            return CompletableFuture.completedFuture(lessor.get().renew(id));
        } catch (NotPrimaryException e) {
            return later(id, mayForward, deadline);
        } catch (MvccException e) {
            return CompletableFuture.failedFuture(RaftEtcdServer.etcdException(e));
        }
    }

    private CompletableFuture<Long> later(long id, boolean mayForward, long deadline) {
        return CompletableFuture.supplyAsync(() -> null,
                        CompletableFuture.delayedExecutor(RETRY_MILLIS, TimeUnit.MILLISECONDS, retries))
                .thenCompose(x -> attempt(id, mayForward, deadline));
    }
}
