package io.etcdj.server;

import io.etcdj.api.etcdserverpb.LeaseTimeToLiveRequest;
import io.etcdj.api.etcdserverpb.LeaseTimeToLiveResponse;
import io.etcdj.server.membership.Member;
import java.util.concurrent.CompletableFuture;

/**
 * Carries lease requests that only the leader can answer (keepalive, time-to-live) from a follower
 * to the leader. The leader answers them locally and never forwards them again, so a request
 * crosses at most one hop; a leader that turns out not to be primary answers "not leader" and the
 * follower retries until its request timeout.
 */
public interface LeaseForwarder extends AutoCloseable {

    /**
     * Renews lease {@code id} on {@code leader}; completes with the TTL in seconds, or fails with
     * {@link EtcdError#LEASE_NOT_FOUND} (the leader answered TTL 0) or any other error.
     */
    CompletableFuture<Long> renew(Member leader, long id, long timeoutMillis);

    /** Asks {@code leader} for the lease's time-to-live. */
    CompletableFuture<LeaseTimeToLiveResponse> timeToLive(Member leader, LeaseTimeToLiveRequest request,
                                                          long timeoutMillis);

    @Override
    void close();

    /** For a single-member setup or tests: never forwards (every call fails with "not leader"). */
    LeaseForwarder NONE = new LeaseForwarder() {
        @Override
        public CompletableFuture<Long> renew(Member leader, long id, long timeoutMillis) {
            return CompletableFuture.failedFuture(EtcdError.NOT_LEADER.exception());
        }

        @Override
        public CompletableFuture<LeaseTimeToLiveResponse> timeToLive(Member leader, LeaseTimeToLiveRequest request,
                                                                     long timeoutMillis) {
            return CompletableFuture.failedFuture(EtcdError.NOT_LEADER.exception());
        }

        @Override
        public void close() {
        }
    };
}
