package io.etcdj.etcdctl.client;

import io.etcdj.api.etcdserverpb.LeaseGrantRequest;
import io.etcdj.api.etcdserverpb.LeaseRevokeRequest;

/**
 * clientv3/concurrency's Session: a lease with the given TTL kept alive in the background until
 * closed (which revokes it) or until the lease is lost ({@link #isDone()}).
 */
public final class LeaseSession implements AutoCloseable {
    private final EtcdClient client;
    private final long leaseId;
    private final LeaseKeepAliveStream keepAlive;
    private final Thread renewer;
    private volatile boolean done;

    public LeaseSession(EtcdClient client, long ttlSeconds) throws EtcdError {
        this.client = client;
        this.leaseId = client.unary(c -> c.leaseNoTimeout().leaseGrant(LeaseGrantRequest.newBuilder()
                .setTTL(ttlSeconds).build())).getID();
        this.keepAlive = new LeaseKeepAliveStream(client);
        this.renewer = new Thread(() -> {
            keepAlive.keepAliveUntilExpired(leaseId, r -> { });
            done = true;
            synchronized (this) {
                notifyAll();
            }
        });
        renewer.setDaemon(true);
        renewer.start();
    }

    public long lease() {
        return leaseId;
    }

    public boolean isDone() {
        return done;
    }

    @Override
    public void close() {
        keepAlive.close();
        try {
            client.quiet(c -> c.lease().leaseRevoke(LeaseRevokeRequest.newBuilder().setID(leaseId).build()));
        } catch (EtcdError e) {
            // the lease may already be gone
        }
    }
}
