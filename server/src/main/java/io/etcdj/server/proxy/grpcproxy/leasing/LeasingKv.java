package io.etcdj.server.proxy.grpcproxy.leasing;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.Compare;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.DeleteRangeResponse;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.PutResponse;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.etcdserverpb.TxnResponse;
import io.etcdj.api.mvccpb.KeyValue;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code grpc-proxy --experimental-leasing-prefix}: the proxy's KV as etcd's leasing KV runs it.
 * A linearizable read of one key the proxy does not own takes ownership in the same txn that
 * reads it (an ownership key under the prefix, see {@link OwnershipKeys}, created only if none
 * exists and the key has no lease of its own); later reads of an owned key are answered from the
 * {@link OwnedKeyCache} without calling the cluster. Every write through a leasing proxy is a txn
 * guarded by "no ownership key newer than the one I hold": when another proxy owns a written key
 * the guard fails, the writer puts "REVOKE" into that ownership key and waits for its deletion,
 * which the owner does after it stopped answering from its cache (see {@link LeasingSession}),
 * then writes. So a write is acknowledged only once no other leasing proxy answers the old value,
 * and writes through the owner update its cache. Keys written straight to the members bypass
 * this; only clients of leasing proxies with the same prefix are kept linearizable. An ownership
 * key deleted behind the owner's back (directly, or with its lease) drops the entry only when
 * the owner's watch reports it; until then a write that no longer had to ask may be read stale.
 *
 * <p>Methods block (the gRPC handler's thread) and throw the cluster's errors as they are.
 * Differences from etcd's leasing KV, each a fix: a write of a key nobody owns is applied once
 * (etcd's applies it a second time in its revoke step, so a put bumps the version by two); a read
 * answered while acquiring honours the request's options; a range delete's "\0" end covers the
 * ownership keys to the end of the prefix; a put that attaches a lease or ignores the value
 * drops the key from the cache instead of caching a wrong value; a deleted ownership key drops
 * its entry; a read-only txn answered from the cache honours its ranges' options.
 */
public final class LeasingKv implements AutoCloseable {
    private static final Duration SESSION_WAIT = Duration.ofSeconds(30);

    private final LeasingUpstream up;
    private final OwnershipKeys owners;
    private final OwnedKeyCache cache;
    private final LeasingSession session;
    private final ScheduledExecutorService work;
    private final AtomicBoolean begun = new AtomicBoolean();

    private LeasingKv(LeasingUpstream up, String prefix, Clock clock) {
        this.up = up;
        this.owners = new OwnershipKeys(prefix);
        this.cache = new OwnedKeyCache(clock);
        this.work = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "grpc-proxy-leasing");
            t.setDaemon(true);
            return t;
        });
        this.session = new LeasingSession(up, owners, cache, work, clock);
    }

    /** A leasing KV over {@code up} with ownership keys under {@code prefix}; nothing starts until {@link #begin}. */
    public static LeasingKv over(LeasingUpstream up, String prefix, Clock clock) {
        return new LeasingKv(up, prefix, clock);
    }

    /** Begins the session in the background (once; later calls do nothing). */
    public void begin() {
        if (begun.compareAndSet(false, true)) {
            session.start();
        }
    }

    /** How many keys the proxy answers from its cache now. */
    public int ownedKeys() {
        return cache.size();
    }

    /** The session lease ownership keys are attached to (0: no session yet). */
    public long sessionLease() {
        return cache.lease();
    }

    /**
     * A range: an owned key from the cache; a linearizable read of one key, not given up in the
     * last {@link OwnedKeyCache#BACKOFF}, acquires it; anything else goes to the cluster.
     *
     * @param mayCache false for a client whose answers must come from the cluster (one with
     *                 credentials, which the cache does not check)
     */
    public RangeResponse range(RangeRequest r, boolean mayCache) {
        long lease = cache.lease();
        if (lease == 0 || !mayCache || !OwnedKeyCache.answerable(r)) {
            return up.range(r);
        }
        ByteString key = r.getKey();
        Optional<RangeResponse> hit = cache.read(key, r);
        if (hit.isPresent()) {
            return hit.get();
        }
        if (r.getSerializable() || cache.owns(key) || !cache.mayAcquire(key)) {
            return up.range(r); // owned but being written: the cluster answers until the write ends
        }
        return acquire(key, r, lease);
    }

    private RangeResponse acquire(ByteString key, RangeRequest r, long lease) {
        ByteString own = owners.of(key);
        RequestOp read = RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(key)).build();
        TxnRequest t = TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder().setKey(own).setTarget(Compare.CompareTarget.CREATE)
                        .setResult(Compare.CompareResult.EQUAL).setCreateRevision(0))
                .addCompare(Compare.newBuilder().setKey(key).setTarget(Compare.CompareTarget.LEASE)
                        .setResult(Compare.CompareResult.EQUAL).setLease(0))
                .addSuccess(read)
                .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(own).setLease(lease)))
                .addFailure(read)
                .addFailure(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(own)))
                .build();
        TxnResponse resp;
        try {
            resp = up.txn(t);
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                throw e;
            }
            session.lost(lease); // "requested lease not found": the session is over
            return up.range(r);
        }
        RangeResponse full = resp.getResponses(0).getResponseRange().toBuilder().setHeader(resp.getHeader()).build();
        boolean owned = resp.getSucceeded() || alreadyOwned(full, resp.getResponses(1).getResponseRange(), lease);
        if (owned) {
            cache.add(key, full, resp.getHeader().getRevision(), lease);
        }
        return OwnedKeyCache.answer(full, r);
    }

    /** The acquiring txn failed because this session already holds the ownership key (and the key has no lease). */
    private static boolean alreadyOwned(RangeResponse key, RangeResponse ownership, long lease) {
        return ownership.getKvsCount() > 0 && ownership.getKvs(0).getLease() == lease
                && (key.getKvsCount() == 0 || key.getKvs(0).getLease() == 0);
    }

    public PutResponse put(PutRequest p) {
        TxnResponse resp = writeOne(p.getKey(), RequestOp.newBuilder().setRequestPut(p).build());
        return resp.getResponses(0).getResponsePut().toBuilder().setHeader(resp.getHeader()).build();
    }

    public DeleteRangeResponse deleteRange(DeleteRangeRequest d) {
        if (!d.getRangeEnd().isEmpty()) {
            return deleteMany(d);
        }
        TxnResponse resp = writeOne(d.getKey(), RequestOp.newBuilder().setRequestDeleteRange(d).build());
        return resp.getResponses(0).getResponseDeleteRange().toBuilder().setHeader(resp.getHeader()).build();
    }

    /** One put or single-key delete: applied once no other proxy owns the key; the answer is the guarding txn's. */
    private TxnResponse writeOne(ByteString key, RequestOp op) {
        awaitSession();
        ByteString own = owners.of(key);
        while (true) {
            long ownedSince = cache.beginWrite(key);
            TxnResponse resp;
            try {
                resp = up.txn(TxnRequest.newBuilder().addCompare(noNewerOwner(own, ByteString.EMPTY, ownedSince)).addSuccess(op)
                        .addFailure(RequestOp.newBuilder().setRequestPut(askToRevoke(own))).build());
                if (resp.getSucceeded()) {
                    applied(op, resp);
                    return resp;
                }
            } catch (RuntimeException e) {
                cache.giveUp(key, 0); // whether the write happened is unknown
                throw e;
            } finally {
                cache.endWrite(key);
            }
            RescindWait.await(up, own, resp.getHeader().getRevision());
        }
    }

    /** A delete of a range: every other proxy's ownership in it given up first, then deleted if no new owner came. */
    private DeleteRangeResponse deleteMany(DeleteRangeRequest d) {
        awaitSession();
        while (true) {
            long newestOwner = revokeRange(d.getKey(), d.getRangeEnd());
            List<ByteString> writing = cache.beginWriteRange(d.getKey(), d.getRangeEnd());
            try {
                TxnResponse resp = up.txn(TxnRequest.newBuilder()
                        .addCompare(noNewerOwner(owners.of(d.getKey()), d.getRangeEnd(), newestOwner))
                        .addSuccess(RequestOp.newBuilder().setRequestDeleteRange(d)).build());
                if (resp.getSucceeded()) {
                    cache.deleted(d.getKey(), d.getRangeEnd(), resp.getHeader());
                    return resp.getResponses(0).getResponseDeleteRange().toBuilder().setHeader(resp.getHeader()).build();
                }
            } catch (RuntimeException e) {
                writing.forEach(k -> cache.giveUp(k, 0));
                throw e;
            } finally {
                writing.forEach(cache::endWrite);
            }
        }
    }

    /**
     * A txn: a read-only one is answered from the cache when it only names owned keys (see
     * {@link CachedTxn}), else by the cluster as it is. One that writes runs inside a txn
     * guarded as {@link #writeOne} guards a single write, for every key it may write (a deleted
     * range also guarded by "no key in it changed since the owners there gave up"); when a guard
     * fails, the ownership keys found are asked to be revoked and the txn is tried again.
     *
     * @param mayCache as for {@link #range}
     */
    public TxnResponse txn(TxnRequest t, boolean mayCache) {
        List<RequestOp> writes = new ArrayList<>();
        collectWrites(t, writes);
        if (writes.isEmpty()) {
            Optional<TxnResponse> cached = mayCache && cache.lease() != 0 ? cache.readOnlyTxn(t) : Optional.empty();
            return cached.orElseGet(() -> up.txn(t));
        }
        long lease = awaitSession();
        while (true) {
            Set<ByteString> writing = new LinkedHashSet<>();
            try {
                TxnRequest.Builder guarded = TxnRequest.newBuilder()
                        .addSuccess(RequestOp.newBuilder().setRequestTxn(t));
                for (RequestOp op : writes) {
                    ByteString key = keyOf(op);
                    ByteString end = endOf(op);
                    if (end.isEmpty()) {
                        if (writing.add(key)) {
                            guarded.addCompare(noNewerOwner(owners.of(key), end, cache.beginWrite(key)));
                        }
                    } else {
                        long newestOwner = revokeRange(key, end);
                        guarded.addCompare(Compare.newBuilder().setKey(key).setRangeEnd(end)
                                .setTarget(Compare.CompareTarget.MOD).setResult(Compare.CompareResult.LESS)
                                .setModRevision(lastModified(key, end) + 1));
                        guarded.addCompare(noNewerOwner(owners.of(key), end, newestOwner));
                        for (ByteString k : cache.beginWriteRange(key, end)) {
                            if (!writing.add(k)) {
                                cache.endWrite(k);
                            }
                        }
                    }
                    guarded.addFailure(RequestOp.newBuilder().setRequestRange(
                            RangeRequest.newBuilder().setKey(owners.of(key)).setRangeEnd(owners.end(end))));
                }
                TxnResponse resp;
                try {
                    resp = up.txn(guarded.build());
                } catch (RuntimeException e) {
                    writing.forEach(k -> cache.giveUp(k, 0));
                    throw e;
                }
                if (resp.getSucceeded()) {
                    TxnResponse inner = resp.getResponses(0).getResponseTxn();
                    appliedTxn(t, inner, resp);
                    return inner.toBuilder().setHeader(resp.getHeader()).build();
                }
                for (var found : resp.getResponsesList()) {
                    revokeOthers(found.getResponseRange().getKvsList(), lease);
                }
            } finally {
                writing.forEach(cache::endWrite);
            }
        }
    }

    private static void collectWrites(TxnRequest t, List<RequestOp> into) {
        for (List<RequestOp> branch : List.of(t.getSuccessList(), t.getFailureList())) {
            for (RequestOp op : branch) {
                switch (op.getRequestCase()) {
                    case REQUEST_PUT, REQUEST_DELETE_RANGE -> into.add(op);
                    case REQUEST_TXN -> collectWrites(op.getRequestTxn(), into);
                    default -> { }
                }
            }
        }
    }

    private static ByteString keyOf(RequestOp op) {
        return op.hasRequestPut() ? op.getRequestPut().getKey() : op.getRequestDeleteRange().getKey();
    }

    private static ByteString endOf(RequestOp op) {
        return op.hasRequestPut() ? ByteString.EMPTY : op.getRequestDeleteRange().getRangeEnd();
    }

    /** The cache after a txn applied: puts and deletes of the branches taken, nested ones too. */
    private void appliedTxn(TxnRequest t, TxnResponse taken, TxnResponse outer) {
        List<RequestOp> ops = taken.getSucceeded() ? t.getSuccessList() : t.getFailureList();
        for (int i = 0; i < ops.size(); i++) {
            RequestOp op = ops.get(i);
            if (op.hasRequestTxn()) {
                appliedTxn(op.getRequestTxn(), taken.getResponses(i).getResponseTxn(), outer);
            } else {
                applied(op, outer);
            }
        }
    }

    /** The cache after {@code op} applied at {@code resp}'s revision. */
    private void applied(RequestOp op, TxnResponse resp) {
        if (op.hasRequestPut()) {
            PutRequest p = op.getRequestPut();
            if (p.getLease() == 0 && !p.getIgnoreValue() && !p.getIgnoreLease()) {
                cache.put(p.getKey(), p.getValue(), resp.getHeader());
            } else {
                cache.giveUp(p.getKey(), resp.getHeader().getRevision()); // its value or lease is not known here
            }
        } else if (op.hasRequestDeleteRange()) {
            DeleteRangeRequest d = op.getRequestDeleteRange();
            cache.deleted(d.getKey(), d.getRangeEnd(), resp.getHeader());
        }
    }

    /** Guard: the ownership key(s) of [key, end) were all created at or before {@code ownedSince} (none: 0). */
    private Compare noNewerOwner(ByteString ownKey, ByteString end, long ownedSince) {
        return Compare.newBuilder().setKey(ownKey).setRangeEnd(owners.end(end)).setTarget(Compare.CompareTarget.CREATE)
                .setResult(Compare.CompareResult.LESS).setCreateRevision(ownedSince + 1).build();
    }

    private static PutRequest askToRevoke(ByteString ownershipKey) {
        return PutRequest.newBuilder().setKey(ownershipKey).setValue(OwnershipKeys.REVOKE).setIgnoreLease(true).build();
    }

    /** Asks every owner in [key, end) but this proxy to give its key up, and waits; returns the newest remaining ownership's revision. */
    private long revokeRange(ByteString key, ByteString end) {
        List<KeyValue> found = up.range(RangeRequest.newBuilder().setKey(owners.of(key)).setRangeEnd(owners.end(end))
                .build()).getKvsList();
        long newest = 0;
        for (KeyValue kv : found) {
            newest = Math.max(newest, kv.getCreateRevision());
        }
        revokeOthers(found, cache.lease());
        return newest;
    }

    /**
     * Asks each ownership key's owner to give it up and waits for it, except keys this proxy owns
     * and answers for (an ownership key of its own that it no longer answers for is asked too, so
     * that it goes).
     */
    private void revokeOthers(List<KeyValue> ownershipKeys, long lease) {
        for (KeyValue kv : ownershipKeys) {
            ByteString key = owners.keyOf(kv.getKey());
            if (kv.getLease() == lease && cache.owns(key)) {
                continue;
            }
            TxnResponse resp = up.txn(TxnRequest.newBuilder()
                    .addCompare(noNewerOwner(kv.getKey(), ByteString.EMPTY, 0))
                    .addFailure(RequestOp.newBuilder().setRequestPut(askToRevoke(kv.getKey()))).build());
            if (!resp.getSucceeded()) {
                RescindWait.await(up, kv.getKey(), resp.getHeader().getRevision());
            }
        }
    }

    /** The highest mod revision of a key in [key, end) (0: none). */
    private long lastModified(ByteString key, ByteString end) {
        RangeResponse r = up.range(RangeRequest.newBuilder().setKey(key).setRangeEnd(end).setLimit(1)
                .setSortTarget(RangeRequest.SortTarget.MOD).setSortOrder(RangeRequest.SortOrder.DESCEND).build());
        return r.getKvsCount() == 0 ? 0 : r.getKvs(0).getModRevision();
    }

    /** The session lease, waiting (up to the client's deadline) for a session to be ready. */
    private long awaitSession() {
        Deadline d = Context.current().getDeadline();
        return awaitSession(d == null ? SESSION_WAIT : Duration.ofNanos(Math.max(0, d.timeRemaining(TimeUnit.NANOSECONDS))));
    }

    /**
     * The session lease, waiting for a session to be ready for at most {@code max}.
     *
     * @throws StatusRuntimeException UNAVAILABLE when there was none in time
     */
    public long awaitSession(Duration max) {
        begin();
        try {
            return session.awaitLease(max);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Status.CANCELLED.withDescription("context canceled").asRuntimeException();
        }
    }

    @Override
    public void close() {
        session.close();
        work.shutdownNow();
    }
}
