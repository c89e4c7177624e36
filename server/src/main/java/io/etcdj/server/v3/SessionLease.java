package io.etcdj.server.v3;

import io.etcdj.api.etcdserverpb.LeaseGrantRequest;
import io.etcdj.server.EtcdServer;
import java.util.concurrent.CompletableFuture;

/**
 * The lease a lock or election request acts under. As etcd's server-side session: a request that
 * names no lease (0) gets a fresh lease of {@link #DEFAULT_TTL_SECONDS} that nobody keeps alive,
 * so what it creates disappears a minute later; any other ID is used as given (an unknown one
 * makes the first put fail with "requested lease not found").
 */
final class SessionLease {
    /** etcd's default session TTL. */
    static final long DEFAULT_TTL_SECONDS = 60;

    private SessionLease() {}

    static CompletableFuture<Long> resolve(EtcdServer server, long lease) {
        if (lease != 0) {
            return CompletableFuture.completedFuture(lease);
        }
        return server.leaseGrant(LeaseGrantRequest.newBuilder().setTTL(DEFAULT_TTL_SECONDS).build())
                .thenApply(r -> r.getID());
    }
}
