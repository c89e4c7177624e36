package io.etcdj.mvcc.lease;

/**
 * Thrown by {@link Lessor#renew} on a member that is not the primary lessor (not the leader): the
 * server must forward the keepalive to the leader (etcd's {@code lease.ErrNotPrimary}).
 */
public final class NotPrimaryException extends RuntimeException {
    public NotPrimaryException() {
        super("not a primary lessor", null, false, false);
    }
}
