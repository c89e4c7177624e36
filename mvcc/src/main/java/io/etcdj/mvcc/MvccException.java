package io.etcdj.mvcc;

/**
 * An error a client sees: {@link #getMessage()} is etcd's exact text and {@link #grpcCode()} the name of
 * the {@code io.grpc.Status.Code} the server must answer with.
 */
public final class MvccException extends RuntimeException {
    private final String grpcCode;

    public MvccException(String grpcCode, String etcdMessage) {
        super(etcdMessage, null, false, false);
        this.grpcCode = grpcCode;
    }

    /** A {@code io.grpc.Status.Code} name, e.g. {@code "OUT_OF_RANGE"}. */
    public String grpcCode() {
        return grpcCode;
    }

    public static final String COMPACTED = "etcdserver: mvcc: required revision has been compacted";
    public static final String FUTURE_REV = "etcdserver: mvcc: required revision is a future revision";
    public static final String NO_SPACE = "etcdserver: mvcc: database space exceeded";
    public static final String KEY_NOT_FOUND = "etcdserver: key not found";
    public static final String VALUE_PROVIDED = "etcdserver: value is provided";
    public static final String LEASE_PROVIDED = "etcdserver: lease is provided";
    public static final String DUPLICATE_KEY = "etcdserver: duplicate key given in txn request";
    public static final String EMPTY_KEY = "etcdserver: key is not provided";
    public static final String INVALID_SORT_OPTION = "etcdserver: invalid sort option";
    public static final String LEASE_NOT_FOUND = "etcdserver: requested lease not found";

    public static MvccException compacted() {
        return new MvccException("OUT_OF_RANGE", COMPACTED);
    }

    public static MvccException futureRevision() {
        return new MvccException("OUT_OF_RANGE", FUTURE_REV);
    }

    public static MvccException noSpace() {
        return new MvccException("RESOURCE_EXHAUSTED", NO_SPACE);
    }

    public static MvccException keyNotFound() {
        return new MvccException("INVALID_ARGUMENT", KEY_NOT_FOUND);
    }

    public static MvccException valueProvided() {
        return new MvccException("INVALID_ARGUMENT", VALUE_PROVIDED);
    }

    public static MvccException leaseProvided() {
        return new MvccException("INVALID_ARGUMENT", LEASE_PROVIDED);
    }

    public static MvccException duplicateKey() {
        return new MvccException("INVALID_ARGUMENT", DUPLICATE_KEY);
    }

    public static MvccException emptyKey() {
        return new MvccException("INVALID_ARGUMENT", EMPTY_KEY);
    }

    public static MvccException invalidSortOption() {
        return new MvccException("INVALID_ARGUMENT", INVALID_SORT_OPTION);
    }

    public static MvccException leaseNotFound() {
        return new MvccException("NOT_FOUND", LEASE_NOT_FOUND);
    }
}
