package io.etcdj.server.randomized;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.etcdj.api.etcdserverpb.CompactionRequest;
import io.etcdj.api.etcdserverpb.Compare;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.LeaseGrantRequest;
import io.etcdj.api.etcdserverpb.LeaseLeasesRequest;
import io.etcdj.api.etcdserverpb.LeaseRevokeRequest;
import io.etcdj.api.etcdserverpb.LeaseTimeToLiveRequest;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The random steps, drawn from one {@link Random} (so a seed replays the run) and from what is
 * {@link KnownState known} of the members: every field of every KV and Lease request combined at
 * random, including the combinations etcd refuses, and watches opened and cancelled now and then.
 * Lease TTLs are long (no lease expires during a run) and sort orders stay inside the enum (a
 * value outside it is refused as etcd 3.5 refuses it, a documented difference from 3.4).
 */
final class RandomRequests {
    /** etcd's --max-txn-ops default, which both members run with. */
    static final int MAX_TXN_OPS = 128;
    /** etcd's largest lease TTL (9,000,000,000 s); one above it is refused. */
    private static final long MAX_LEASE_TTL = 9_000_000_000L;
    /** A lease ID no member ever grants (the explicit IDs the generator asks for are -2 to 8). */
    private static final long UNKNOWN_LEASE = 0x7eadbeefL;

    private final Random random;
    private final KeySpace keys;
    private final KnownState known;

    RandomRequests(Random random, KnownState known) {
        this.random = random;
        this.keys = new KeySpace(random);
        this.known = known;
    }

    /** The next step; {@code watches}: how many watches the test may cancel (at most 10 are kept). */
    Step next(int watches) {
        int pick = random.nextInt(1000);
        if (pick < 250) {
            return unary(range());
        } else if (pick < 500) {
            return unary(put());
        } else if (pick < 580) {
            return unary(deleteRange());
        } else if (pick < 740) {
            return unary(withoutPanickingPuts(txn(0)));
        } else if (pick < 755) {
            return unary(CompactionRequest.newBuilder().setRevision(compactRevision()).setPhysical(random.nextBoolean())
                    .build());
        } else if (pick < 800) {
            return unary(leaseGrant());
        } else if (pick < 825) {
            return unary(LeaseRevokeRequest.newBuilder().setID(lease(true)).build());
        } else if (pick < 860) {
            return unary(LeaseTimeToLiveRequest.newBuilder().setID(lease(true)).setKeys(random.nextBoolean()).build());
        } else if (pick < 870) {
            return unary(LeaseLeasesRequest.getDefaultInstance());
        } else if (pick < 900 || watches == 0) {
            return watches < 10 ? new Step.OpenWatch(watch()) : unary(range());
        }
        return new Step.CancelWatch(random.nextInt(watches));
    }

    private static Step unary(Message request) {
        return new Step.Unary(request);
    }

    RangeRequest range() {
        ByteString key = keys.key();
        RangeRequest.Builder r = RangeRequest.newBuilder().setKey(key).setRangeEnd(keys.rangeEnd(key));
        if (random.nextInt(3) == 0) {
            r.setLimit(random.nextInt(20) == 0 ? -1 : random.nextInt(5));
        }
        if (random.nextInt(3) == 0) {
            r.setRevision(readRevision());
        }
        if (random.nextInt(3) == 0) {
            r.setSortOrderValue(random.nextInt(RangeRequest.SortOrder.values().length - 1));
            r.setSortTargetValue(random.nextInt(RangeRequest.SortTarget.values().length - 1));
        }
        r.setSerializable(random.nextInt(4) == 0);
        r.setKeysOnly(random.nextInt(5) == 0);
        r.setCountOnly(random.nextInt(6) == 0);
        if (random.nextInt(6) == 0) {
            r.setMinModRevision(someRevision());
        }
        if (random.nextInt(6) == 0) {
            r.setMaxModRevision(someRevision());
        }
        if (random.nextInt(6) == 0) {
            r.setMinCreateRevision(someRevision());
        }
        if (random.nextInt(6) == 0) {
            r.setMaxCreateRevision(someRevision());
        }
        return r.build();
    }

    PutRequest put() {
        PutRequest.Builder p = PutRequest.newBuilder().setKey(keys.key()).setPrevKv(random.nextInt(3) == 0);
        if (random.nextInt(2) == 0) {
            p.setLease(lease(false));
        }
        if (random.nextInt(10) == 0) {
            p.setIgnoreValue(true); // with a value: "value is provided"; on a missing key: "key not found"
            if (random.nextInt(3) == 0) {
                p.setValue(keys.value());
            }
        } else {
            p.setValue(keys.value());
        }
        if (random.nextInt(10) == 0) {
            p.setIgnoreLease(true); // with a lease: "lease is provided"
            if (random.nextInt(2) == 0) {
                p.setLease(0);
            }
        }
        return p.build();
    }

    DeleteRangeRequest deleteRange() {
        ByteString key = keys.key();
        return DeleteRangeRequest.newBuilder().setKey(key).setRangeEnd(keys.rangeEnd(key))
                .setPrevKv(random.nextInt(3) == 0).build();
    }

    TxnRequest txn(int depth) {
        TxnRequest.Builder t = TxnRequest.newBuilder();
        if (depth == 0 && random.nextInt(40) == 0) {
            return tooManyOrJustEnoughOps();
        }
        for (int i = random.nextInt(4); i > 0; i--) {
            t.addCompare(compare());
        }
        for (int i = random.nextInt(4); i > 0; i--) {
            t.addSuccess(requestOp(depth));
        }
        for (int i = random.nextInt(4); i > 0; i--) {
            t.addFailure(requestOp(depth));
        }
        return t.build();
    }

    /**
     * {@code t} without ignore_value/ignore_lease on its puts when it also deletes: a put with either
     * flag after a delete of its key in the same txn makes etcd 3.4.23 panic (the member dies:
     * its pre-check saw the key, the apply does not), which ours deliberately does not copy, so such
     * a txn is not sent.
     */
    private static TxnRequest withoutPanickingPuts(TxnRequest t) {
        if (!deletes(t)) {
            return t;
        }
        return (TxnRequest) MessageWalk.bottomUp(t, m -> m instanceof PutRequest p
                ? p.toBuilder().clearIgnoreValue().clearIgnoreLease().build() : m);
    }

    private static boolean deletes(TxnRequest t) {
        return Stream.concat(t.getSuccessList().stream(), t.getFailureList().stream())
                .anyMatch(op -> op.hasRequestDeleteRange() || op.hasRequestTxn() && deletes(op.getRequestTxn()));
    }

    /** 128 ops (the most --max-txn-ops takes) or 129 (refused), reads or puts of distinct keys. */
    private TxnRequest tooManyOrJustEnoughOps() {
        TxnRequest.Builder t = TxnRequest.newBuilder();
        int ops = MAX_TXN_OPS + random.nextInt(2);
        boolean puts = random.nextBoolean();
        for (int i = 0; i < ops; i++) {
            ByteString key = KeySpace.bytes("many/" + i);
            t.addSuccess(puts ? RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(key)).build()
                    : RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(key)).build());
        }
        return t.build();
    }

    private RequestOp requestOp(int depth) {
        int pick = random.nextInt(depth < 2 ? 10 : 9);
        if (pick < 3) {
            return RequestOp.newBuilder().setRequestRange(range()).build();
        } else if (pick < 7) {
            return RequestOp.newBuilder().setRequestPut(put()).build();
        } else if (pick < 9) {
            return RequestOp.newBuilder().setRequestDeleteRange(deleteRange()).build();
        }
        return RequestOp.newBuilder().setRequestTxn(txn(depth + 1)).build();
    }

    private Compare compare() {
        ByteString key = keys.key();
        Compare.Builder c = Compare.newBuilder().setKey(key)
                .setResultValue(random.nextInt(Compare.CompareResult.values().length - 1));
        if (random.nextInt(4) == 0) {
            c.setRangeEnd(keys.rangeEnd(key));
        }
        Compare.CompareTarget target = Compare.CompareTarget.forNumber(
                random.nextInt(Compare.CompareTarget.values().length - 1));
        switch (target) {
            case VERSION -> c.setVersion(random.nextInt(4));
            case CREATE -> c.setCreateRevision(someRevision());
            case MOD -> c.setModRevision(someRevision());
            case VALUE -> c.setValue(keys.value());
            case LEASE -> c.setLease(random.nextBoolean() ? 0 : lease(false));
            default -> throw new IllegalStateException(target.toString());
        }
        return c.build();
    }

    private LeaseGrantRequest leaseGrant() {
        long id = switch (random.nextInt(4)) {
            case 0 -> 0; // the member picks one: ours and the reference's differ, mapped by LeaseIds
            case 1 -> known.liveLeases.isEmpty() ? 1 : pickFrom(known.liveLeases); // "lease already exists"
            default -> random.nextInt(30) == 0 ? -1 - random.nextInt(2) : 1 + random.nextInt(8);
        };
        long ttl = random.nextInt(50) == 0 ? MAX_LEASE_TTL + 1 : 600 + random.nextInt(3000);
        return LeaseGrantRequest.newBuilder().setID(id).setTTL(ttl).build();
    }

    /** A lease ID: a live one mostly, else a revoked or never granted one ({@code allowZero}: 0 too). */
    private long lease(boolean allowZero) {
        int pick = random.nextInt(10);
        if (pick < 6 && !known.liveLeases.isEmpty()) {
            return pickFrom(known.liveLeases);
        }
        if (pick < 8 && !known.revokedLeases.isEmpty()) {
            return pickFrom(known.revokedLeases);
        }
        return allowZero && pick == 9 ? 0 : UNKNOWN_LEASE;
    }

    private WatchCreateRequest watch() {
        ByteString key = keys.key();
        WatchCreateRequest.Builder w = WatchCreateRequest.newBuilder().setKey(key).setRangeEnd(keys.rangeEnd(key))
                .setPrevKv(random.nextBoolean()).setFragment(random.nextInt(3) == 0)
                .setProgressNotify(random.nextInt(4) == 0);
        if (random.nextInt(3) != 0) {
            long start = readRevision();
            // not from the compacted revision itself: whether a delete at that revision is replayed
            // depends on whether the compaction's background deletion has run yet, in etcd as in ours
            w.setStartRevision(start == known.compactRevision && start > 0 ? start + 1 : start);
        }
        if (random.nextInt(4) == 0) {
            w.addFilters(WatchCreateRequest.FilterType.NOPUT);
        }
        if (random.nextInt(4) == 0) {
            w.addFilters(WatchCreateRequest.FilterType.NODELETE);
        }
        return w.build();
    }

    /** A revision to read at: 0 (newest), the newest, a past one, the compacted one or below, a future one. */
    private long readRevision() {
        return switch (random.nextInt(7)) {
            case 0 -> random.nextInt(20) == 0 ? -1 : 0;
            case 1 -> known.revision;
            case 2, 3 -> 1 + random.nextInt((int) known.revision);
            case 4 -> Math.max(1, known.compactRevision - random.nextInt(2));
            case 5 -> known.revision + 1;
            default -> known.revision + 1 + random.nextInt(3);
        };
    }

    /** A revision for a filter or a compare: anywhere from 0 to just past the newest. */
    private long someRevision() {
        return random.nextInt((int) known.revision + 2);
    }

    /**
     * Around the compacted revision up to past the newest one (so some compactions are refused),
     * never above a watch that may still be replaying history.
     */
    private long compactRevision() {
        long low = Math.max(0, known.compactRevision - 1);
        long rev = random.nextInt(6) == 0 ? known.revision + random.nextInt(3)
                : low + random.nextInt((int) Math.max(1, known.revision - low + 1));
        return Math.min(rev, known.watchFloor);
    }

    private long pickFrom(List<Long> ids) {
        return ids.get(random.nextInt(ids.size()));
    }
}
