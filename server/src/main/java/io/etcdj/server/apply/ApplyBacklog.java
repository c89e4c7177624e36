package io.etcdj.server.apply;

import io.etcdj.server.EtcdError;
import java.util.function.LongSupplier;

/**
 * etcd's back-pressure on proposals: a member whose applier has fallen more than
 * {@value #MAX_ENTRIES_BEHIND} entries behind its commit index takes no new proposal ("etcdserver:
 * too many requests", RESOURCE_EXHAUSTED) until it catches up, so a member that cannot apply as fast
 * as the cluster commits does not queue requests without bound.
 */
public final class ApplyBacklog {
    /** etcd's maxGapBetweenApplyAndCommitIndex. */
    public static final long MAX_ENTRIES_BEHIND = 5000;

    private final LongSupplier committed;
    private final LongSupplier applied;

    public ApplyBacklog(LongSupplier committed, LongSupplier applied) {
        this.committed = committed;
        this.applied = applied;
    }

    /** Null while a proposal may be made, else etcd's refusal. */
    public EtcdError refusal() {
        return committed.getAsLong() > applied.getAsLong() + MAX_ENTRIES_BEHIND ? EtcdError.TOO_MANY_REQUESTS : null;
    }
}
