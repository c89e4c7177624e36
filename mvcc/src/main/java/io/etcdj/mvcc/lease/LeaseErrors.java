package io.etcdj.mvcc.lease;

import io.etcdj.mvcc.MvccException;

/** The lease errors a client sees, with etcd's texts and gRPC codes. */
public final class LeaseErrors {
    private LeaseErrors() {
    }

    public static final String LEASE_EXISTS = "etcdserver: lease already exists";
    public static final String TTL_TOO_LARGE = "etcdserver: too large lease TTL";

    public static MvccException notFound() {
        return MvccException.leaseNotFound();
    }

    public static MvccException exists() {
        return new MvccException("FAILED_PRECONDITION", LEASE_EXISTS);
    }

    public static MvccException ttlTooLarge() {
        return new MvccException("OUT_OF_RANGE", TTL_TOO_LARGE);
    }
}
