package io.etcdj.mvcc.quota;

import java.util.function.LongSupplier;

import com.google.protobuf.Message;

import io.etcdj.api.etcdserverpb.LeaseGrantRequest;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.mvcc.MvccException;
import io.etcdj.mvcc.backend.Backend;

/**
 * etcd's backend space quota ({@code --quota-backend-bytes}): a request that may grow the store (Put,
 * Txn, LeaseGrant) is admitted only while {@code backend size + request cost < quota}. Cost: a put is
 * {@value #KV_OVERHEAD} + key + value bytes; a txn the larger of the summed puts of its success and of its
 * failure branch (top level only, as etcd); a lease grant {@value #LEASE_OVERHEAD}. Other requests cost
 * nothing and always pass.
 *
 * <p>On refusal the server must raise the NOSPACE alarm (through raft; persisted by
 * {@link io.etcdj.mvcc.alarm.AlarmStore}) and answer {@link MvccException#noSpace()}.
 */
public final class QuotaChecker {
    public static final long DEFAULT_QUOTA_BYTES = 2L * 1024 * 1024 * 1024;
    /** Larger quotas are allowed but etcd warns about them. */
    public static final long MAX_SUGGESTED_QUOTA_BYTES = 8L * 1024 * 1024 * 1024;
    static final int KV_OVERHEAD = 256;
    static final int LEASE_OVERHEAD = 64;

    private static final long SIZE_REFRESH_NANOS = 100_000_000L;

    private final LongSupplier backendSize;
    private final long quotaBytes;
    private volatile long cachedSize = -1;
    private volatile long cachedAt;

    /** @param quotaBackendBytes the flag's value: 0 means the 2 GiB default, negative disables the quota */
    public QuotaChecker(Backend backend, long quotaBackendBytes) {
        this(() -> backend.size().total(), quotaBackendBytes);
    }

    /**
     * Over any measure of the backend's total size (a server whose backend is replaced by snapshot
     * restores asks the current one).
     *
     * @param quotaBackendBytes the flag's value: 0 means the 2 GiB default, negative disables the quota
     */
    public QuotaChecker(LongSupplier backendSize, long quotaBackendBytes) {
        this.backendSize = backendSize;
        this.quotaBytes = quotaBackendBytes == 0 ? DEFAULT_QUOTA_BYTES : quotaBackendBytes;
    }

    /** The effective quota in bytes, or a negative number when disabled. */
    public long quotaBytes() {
        return quotaBytes;
    }

    public boolean available(Message request) {
        if (quotaBytes < 0 || !(request instanceof PutRequest || request instanceof TxnRequest
                || request instanceof LeaseGrantRequest)) {
            return true;
        }
        return backendSize() + cost(request) < quotaBytes;
    }

    /** The backend's total size, re-read at most every 100 ms (RocksDB properties cost a few JNI calls). */
    /**
     * Drops the cached backend size, so the next check reads it afresh: after a defragment has
     * shrunk the backend, writes must not be refused on a size it no longer has.
     */
    public void forgetSize() {
        cachedSize = -1;
    }

    private long backendSize() {
        long now = System.nanoTime();
        long size = cachedSize;
        if (size < 0 || now - cachedAt > SIZE_REFRESH_NANOS) {
            size = backendSize.getAsLong();
            cachedSize = size;
            cachedAt = now;
        }
        return size;
    }

    /** @throws MvccException {@link MvccException#noSpace()} when {@link #available} is false */
    public void check(Message request) {
        if (!available(request)) {
            throw MvccException.noSpace();
        }
    }

    public static long cost(Message request) {
        if (request instanceof PutRequest p) {
            return costPut(p);
        }
        if (request instanceof TxnRequest t) {
            long success = 0;
            for (RequestOp op : t.getSuccessList()) {
                success += op.hasRequestPut() ? costPut(op.getRequestPut()) : 0;
            }
            long failure = 0;
            for (RequestOp op : t.getFailureList()) {
                failure += op.hasRequestPut() ? costPut(op.getRequestPut()) : 0;
            }
            return Math.max(success, failure);
        }
        if (request instanceof LeaseGrantRequest) {
            return LEASE_OVERHEAD;
        }
        return 0;
    }

    private static long costPut(PutRequest p) {
        return KV_OVERHEAD + p.getKey().size() + p.getValue().size();
    }
}
