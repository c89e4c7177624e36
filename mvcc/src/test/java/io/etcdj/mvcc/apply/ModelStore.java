package io.etcdj.mvcc.apply;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.function.LongPredicate;

import com.google.protobuf.ByteString;

import io.etcdj.api.etcdserverpb.Compare;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.DeleteRangeResponse;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.PutResponse;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.etcdserverpb.ResponseOp;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.etcdserverpb.TxnResponse;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.mvcc.MvccException;

/**
 * The obviously-correct model of etcd's KV semantics the store is checked against: the whole history
 * as a flat list of changes, and every question answered by scanning it. Compaction only moves the
 * compaction revision (the model never forgets anything).
 */
final class ModelStore {
    record Change(long main, byte[] key, byte[] value, long lease, boolean delete) {
    }

    private final List<Change> history = new ArrayList<>();
    private final List<Change> staged = new ArrayList<>();
    private final LongPredicate leaseExists;
    long rev = 1; // etcd: an empty store is at revision 1
    long compactRev = -1; // never compacted

    ModelStore(LongPredicate leaseExists) {
        this.leaseExists = leaseExists;
    }

    // ------------------------------------------------------------- state queries

    private List<Change> all() {
        List<Change> out = new ArrayList<>(history);
        out.addAll(staged);
        return out;
    }

    private long viewRev() {
        return staged.isEmpty() ? rev : rev + 1;
    }

    /** The key at revision {@code at}, or null. */
    KeyValue get(byte[] key, long at) {
        List<KeyValue> kvs = live(key, new byte[0], at);
        return kvs.isEmpty() ? null : kvs.get(0);
    }

    static boolean inRange(byte[] k, byte[] key, byte[] end) {
        if (end.length == 0) {
            return Arrays.equals(k, key);
        }
        if (end.length == 1 && end[0] == 0) {
            return Arrays.compareUnsigned(k, key) >= 0;
        }
        return Arrays.compareUnsigned(k, key) >= 0 && Arrays.compareUnsigned(k, end) < 0;
    }

    /** Live keys in the range at {@code at}, in key order: one pass over the history. */
    List<KeyValue> live(byte[] key, byte[] end, long at) {
        TreeMap<byte[], KeyValue> state = new TreeMap<>(Arrays::compareUnsigned);
        for (Change c : all()) {
            if (c.main > at || !inRange(c.key, key, end)) {
                continue;
            }
            KeyValue before = state.get(c.key);
            if (c.delete) {
                state.remove(c.key);
            } else {
                state.put(c.key, KeyValue.newBuilder().setKey(ByteString.copyFrom(c.key))
                        .setCreateRevision(before == null ? c.main : before.getCreateRevision())
                        .setModRevision(c.main).setVersion(before == null ? 1 : before.getVersion() + 1)
                        .setValue(ByteString.copyFrom(c.value)).setLease(c.lease).build());
            }
        }
        return new ArrayList<>(state.values());
    }

    // ------------------------------------------------------------- requests

    RangeResponse range(RangeRequest r) {
        if (r.getKey().isEmpty()) {
            throw MvccException.emptyKey();
        }
        long cur = viewRev();
        if (r.getRevision() > cur) {
            throw MvccException.futureRevision();
        }
        long at = r.getRevision() <= 0 ? cur : r.getRevision();
        if (at < compactRev) {
            throw MvccException.compacted();
        }
        List<KeyValue> kvs = live(r.getKey().toByteArray(), r.getRangeEnd().toByteArray(), at);
        RangeResponse.Builder b = RangeResponse.newBuilder().setHeader(header(cur)).setCount(kvs.size());
        if (r.getCountOnly()) {
            return b.build();
        }
        List<KeyValue> kept = new ArrayList<>();
        for (KeyValue kv : kvs) {
            boolean ok = (r.getMaxModRevision() == 0 || kv.getModRevision() <= r.getMaxModRevision())
                    && (r.getMinModRevision() == 0 || kv.getModRevision() >= r.getMinModRevision())
                    && (r.getMaxCreateRevision() == 0 || kv.getCreateRevision() <= r.getMaxCreateRevision())
                    && (r.getMinCreateRevision() == 0 || kv.getCreateRevision() >= r.getMinCreateRevision());
            if (ok) {
                kept.add(kv);
            }
        }
        boolean filtered = r.getMaxModRevision() != 0 || r.getMinModRevision() != 0
                || r.getMaxCreateRevision() != 0 || r.getMinCreateRevision() != 0;
        if (r.getSortOrder() == RangeRequest.SortOrder.NONE && !filtered && r.getLimit() > 0
                && kept.size() > r.getLimit() + 1) {
            // etcd's quirk: with sort_order NONE (even if a sort target is set) only the first limit + 1
            // keys in key order are read, then sorted
            kept = new ArrayList<>(kept.subList(0, (int) r.getLimit() + 1));
        }
        boolean sort = r.getSortOrder() != RangeRequest.SortOrder.NONE
                || r.getSortTarget() != RangeRequest.SortTarget.KEY;
        if (sort) {
            Comparator<KeyValue> cmp = switch (r.getSortTarget()) {
                case KEY -> Comparator.comparing(KeyValue::getKey, ByteString.unsignedLexicographicalComparator());
                case VERSION -> Comparator.comparingLong(KeyValue::getVersion);
                case CREATE -> Comparator.comparingLong(KeyValue::getCreateRevision);
                case MOD -> Comparator.comparingLong(KeyValue::getModRevision);
                case VALUE -> Comparator.comparing(KeyValue::getValue, ByteString.unsignedLexicographicalComparator());
                default -> throw new AssertionError();
            };
            kept = new ArrayList<>(kept);
            // etcd's sort is Go's unstable sort.Sort: ties end in its order, not in key order
            GoSort.sort(kept, r.getSortOrder() == RangeRequest.SortOrder.DESCEND ? cmp.reversed() : cmp);
        }
        if (r.getLimit() > 0 && kept.size() > r.getLimit()) {
            kept = kept.subList(0, (int) r.getLimit());
            b.setMore(true);
        }
        for (KeyValue kv : kept) {
            b.addKvs(r.getKeysOnly() ? kv.toBuilder().clearValue().build() : kv);
        }
        return b.build();
    }

    PutResponse put(PutRequest r) {
        validatePut(r);
        if (r.getLease() != 0 && !leaseExists.test(r.getLease())) {
            throw MvccException.leaseNotFound();
        }
        PutResponse resp = doPut(r);
        commit();
        return resp;
    }

    private static void validatePut(PutRequest r) {
        if (r.getKey().isEmpty()) {
            throw MvccException.emptyKey();
        }
        if (r.getIgnoreValue() && !r.getValue().isEmpty()) {
            throw MvccException.valueProvided();
        }
        if (r.getIgnoreLease() && r.getLease() != 0) {
            throw MvccException.leaseProvided();
        }
    }

    private PutResponse doPut(PutRequest r) {
        KeyValue prev = get(r.getKey().toByteArray(), viewRev());
        // ignore_* after the same txn deleted the key: the value before the txn (etcd would panic)
        KeyValue source = prev != null ? prev : get(r.getKey().toByteArray(), rev);
        if ((r.getIgnoreValue() || r.getIgnoreLease()) && source == null) {
            throw MvccException.keyNotFound();
        }
        byte[] value = (r.getIgnoreValue() ? source.getValue() : r.getValue()).toByteArray();
        long lease = r.getIgnoreLease() ? source.getLease() : r.getLease();
        staged.add(new Change(rev + 1, r.getKey().toByteArray(), value, lease, false));
        PutResponse.Builder b = PutResponse.newBuilder().setHeader(header(rev + 1));
        if (r.getPrevKv() && prev != null) {
            b.setPrevKv(prev);
        }
        return b.build();
    }

    DeleteRangeResponse deleteRange(DeleteRangeRequest r) {
        if (r.getKey().isEmpty()) {
            throw MvccException.emptyKey();
        }
        DeleteRangeResponse resp = doDelete(r);
        commit();
        return resp;
    }

    private DeleteRangeResponse doDelete(DeleteRangeRequest r) {
        List<KeyValue> kvs = live(r.getKey().toByteArray(), r.getRangeEnd().toByteArray(), viewRev());
        for (KeyValue kv : kvs) {
            staged.add(new Change(rev + 1, kv.getKey().toByteArray(), new byte[0], 0, true));
        }
        DeleteRangeResponse.Builder b = DeleteRangeResponse.newBuilder().setDeleted(kvs.size())
                .setHeader(header(staged.isEmpty() ? rev : rev + 1));
        if (r.getPrevKv()) {
            b.addAllPrevKvs(kvs);
        }
        return b.build();
    }

    private void commit() {
        if (!staged.isEmpty()) {
            history.addAll(staged);
            staged.clear();
            rev++;
        }
    }

    void compact(long at) {
        if (at <= compactRev) {
            throw MvccException.compacted();
        }
        if (at > rev) {
            throw MvccException.futureRevision();
        }
        compactRev = at;
    }

    // ------------------------------------------------------------- txn

    TxnResponse txn(TxnRequest r) {
        validateTxn(r);
        if (conflicts(r.getSuccessList()) || conflicts(r.getFailureList())) {
            throw MvccException.duplicateKey();
        }
        List<Boolean> path = new ArrayList<>();
        choose(r, path);
        int[] cursor = {0};
        if (hasWrites(r)) {
            checkPuts(r, path, cursor);
            cursor[0] = 0;
        }
        checkRanges(r, path, cursor);
        cursor[0] = 0;
        TxnResponse.Builder b = apply(r, path, cursor);
        b.setHeader(header(viewRev()));
        commit();
        return b.build();
    }

    private void validateTxn(TxnRequest r) {
        for (Compare c : r.getCompareList()) {
            if (c.getKey().isEmpty()) {
                throw MvccException.emptyKey();
            }
        }
        List<RequestOp> ops = new ArrayList<>(r.getSuccessList());
        ops.addAll(r.getFailureList());
        for (RequestOp op : ops) {
            if (op.hasRequestPut()) {
                validatePut(op.getRequestPut());
            } else if (op.hasRequestTxn()) {
                validateTxn(op.getRequestTxn());
            } else if ((op.hasRequestRange() && op.getRequestRange().getKey().isEmpty())
                    || (op.hasRequestDeleteRange() && op.getRequestDeleteRange().getKey().isEmpty())) {
                throw MvccException.emptyKey();
            }
        }
    }

    private static boolean hasWrites(TxnRequest r) {
        List<RequestOp> ops = new ArrayList<>(r.getSuccessList());
        ops.addAll(r.getFailureList());
        for (RequestOp op : ops) {
            if (op.hasRequestPut() || op.hasRequestDeleteRange() || (op.hasRequestTxn() && hasWrites(op.getRequestTxn()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The duplicate-key rule restated over executions (one branch chosen in every nested txn): two puts
     * of one key in one execution conflict; a put and a delete covering its key (literal interval) in one
     * execution conflict, unless, where their paths part, both lie inside different nested txns and the
     * delete's txn comes after the put's (etcd checks a nested txn's puts only against the deletes seen
     * so far).
     */
    static boolean conflicts(List<RequestOp> branch) {
        for (List<Addressed> run : executions(branch, List.of())) {
            for (int i = 0; i < run.size(); i++) {
                for (int j = 0; j < run.size(); j++) {
                    if (i != j && conflict(run.get(i), run.get(j))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private record Addressed(RequestOp op, List<Integer> address) {
    }

    private static boolean conflict(Addressed a, Addressed b) {
        if (!a.op.hasRequestPut()) {
            return false;
        }
        ByteString p = a.op.getRequestPut().getKey();
        if (b.op.hasRequestPut()) {
            return b.op.getRequestPut().getKey().equals(p);
        }
        DeleteRangeRequest d = b.op.getRequestDeleteRange();
        byte[] k = p.toByteArray();
        boolean covered = d.getRangeEnd().isEmpty() ? p.equals(d.getKey())
                : Arrays.compareUnsigned(k, d.getKey().toByteArray()) >= 0
                && Arrays.compareUnsigned(k, d.getRangeEnd().toByteArray()) < 0;
        if (!covered) {
            return false;
        }
        int c = 0;
        while (a.address.get(c).equals(b.address.get(c))) {
            c++;
        }
        boolean eitherDirect = c == a.address.size() - 1 || c == b.address.size() - 1;
        return eitherDirect || b.address.get(c) < a.address.get(c);
    }

    /** Every list of puts/deletes one run of {@code branch} may execute, each with its position path. */
    private static List<List<Addressed>> executions(List<RequestOp> branch, List<Integer> at) {
        List<List<Addressed>> runs = new ArrayList<>();
        runs.add(new ArrayList<>());
        for (int i = 0; i < branch.size(); i++) {
            RequestOp op = branch.get(i);
            List<Integer> address = new ArrayList<>(at);
            address.add(i);
            if (op.hasRequestTxn()) {
                List<List<Addressed>> sub = new ArrayList<>(executions(op.getRequestTxn().getSuccessList(), address));
                sub.addAll(executions(op.getRequestTxn().getFailureList(), address));
                List<List<Addressed>> next = new ArrayList<>();
                for (List<Addressed> run : runs) {
                    for (List<Addressed> s : sub) {
                        List<Addressed> joined = new ArrayList<>(run);
                        joined.addAll(s);
                        next.add(joined);
                    }
                }
                runs = next;
            } else if (op.hasRequestPut() || op.hasRequestDeleteRange()) {
                for (List<Addressed> run : runs) {
                    run.add(new Addressed(op, address));
                }
            }
        }
        return runs;
    }

    private void choose(TxnRequest r, List<Boolean> path) {
        boolean ok = true;
        for (Compare c : r.getCompareList()) {
            ok &= holds(c);
        }
        path.add(ok);
        for (RequestOp op : ok ? r.getSuccessList() : r.getFailureList()) {
            if (op.hasRequestTxn()) {
                choose(op.getRequestTxn(), path);
            }
        }
    }

    private boolean holds(Compare c) {
        List<KeyValue> kvs = live(c.getKey().toByteArray(), c.getRangeEnd().toByteArray(), rev);
        if (kvs.isEmpty()) {
            if (c.getTarget() == Compare.CompareTarget.VALUE) {
                return false;
            }
            kvs = List.of(KeyValue.getDefaultInstance());
        }
        for (KeyValue kv : kvs) {
            int cmp = switch (c.getTarget()) {
                case VERSION -> Long.compare(kv.getVersion(), c.getVersion());
                case CREATE -> Long.compare(kv.getCreateRevision(), c.getCreateRevision());
                case MOD -> Long.compare(kv.getModRevision(), c.getModRevision());
                case LEASE -> Long.compare(kv.getLease(), c.getLease());
                case VALUE -> ByteString.unsignedLexicographicalComparator().compare(kv.getValue(), c.getValue());
                default -> throw new AssertionError();
            };
            boolean ok = switch (c.getResult()) {
                case EQUAL -> cmp == 0;
                case NOT_EQUAL -> cmp != 0;
                case GREATER -> cmp > 0;
                case LESS -> cmp < 0;
                default -> throw new AssertionError();
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private void checkPuts(TxnRequest r, List<Boolean> path, int[] cursor) {
        for (RequestOp op : path.get(cursor[0]++) ? r.getSuccessList() : r.getFailureList()) {
            if (op.hasRequestTxn()) {
                checkPuts(op.getRequestTxn(), path, cursor);
            } else if (op.hasRequestPut()) {
                PutRequest p = op.getRequestPut();
                if ((p.getIgnoreLease() || p.getIgnoreValue()) && get(p.getKey().toByteArray(), rev) == null) {
                    throw MvccException.keyNotFound();
                }
                if (p.getLease() != 0 && !leaseExists.test(p.getLease())) {
                    throw MvccException.leaseNotFound();
                }
            }
        }
    }

    private void checkRanges(TxnRequest r, List<Boolean> path, int[] cursor) {
        for (RequestOp op : path.get(cursor[0]++) ? r.getSuccessList() : r.getFailureList()) {
            if (op.hasRequestTxn()) {
                checkRanges(op.getRequestTxn(), path, cursor);
            } else if (op.hasRequestRange() && op.getRequestRange().getRevision() != 0) {
                long at = op.getRequestRange().getRevision();
                if (at > rev) {
                    throw MvccException.futureRevision();
                }
                if (at < compactRev) {
                    throw MvccException.compacted();
                }
            }
        }
    }

    private TxnResponse.Builder apply(TxnRequest r, List<Boolean> path, int[] cursor) {
        boolean ok = path.get(cursor[0]++);
        TxnResponse.Builder b = TxnResponse.newBuilder().setSucceeded(ok);
        for (RequestOp op : ok ? r.getSuccessList() : r.getFailureList()) {
            ResponseOp.Builder o = ResponseOp.newBuilder();
            if (op.hasRequestRange()) {
                o.setResponseRange(range(op.getRequestRange()));
            } else if (op.hasRequestPut()) {
                o.setResponsePut(doPut(op.getRequestPut()));
            } else if (op.hasRequestDeleteRange()) {
                o.setResponseDeleteRange(doDelete(op.getRequestDeleteRange()));
            } else if (op.hasRequestTxn()) {
                o.setResponseTxn(apply(op.getRequestTxn(), path, cursor).setHeader(ResponseHeader.getDefaultInstance()));
            }
            b.addResponses(o);
        }
        return b;
    }

    private static ResponseHeader header(long rev) {
        return ResponseHeader.newBuilder().setRevision(rev).build();
    }
}
