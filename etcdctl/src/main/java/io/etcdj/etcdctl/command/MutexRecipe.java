package io.etcdj.etcdctl.command;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.Compare;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.etcdserverpb.TxnResponse;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.api.mvccpb.Event;
import io.etcdj.etcdctl.client.EtcdClient;
import io.etcdj.etcdctl.client.EtcdError;
import io.etcdj.etcdctl.client.WatchStream;
import io.etcdj.etcdctl.print.KeyRanges;
import java.nio.charset.StandardCharsets;

/**
 * clientv3/concurrency's key-ordering recipes: a key PREFIX/LEASEHEX created under a session
 * lease, ownership by lowest create revision, and waiting for every earlier key to be deleted.
 * Used by lock (value "") and elect (value = the proposal).
 */
final class MutexRecipe {
    private final EtcdClient client;
    private final String prefix;
    private final String key;
    private long myRev;
    private ResponseHeader header;

    MutexRecipe(EtcdClient client, String name, long lease) {
        this.client = client;
        this.prefix = name + "/";
        this.key = prefix + Long.toHexString(lease);
    }

    String key() {
        return key;
    }

    ResponseHeader header() {
        return header;
    }

    private static ByteString b(String s) {
        return ByteString.copyFrom(s, StandardCharsets.UTF_8);
    }

    /** Creates the key if absent and waits until it is the oldest under the prefix. */
    void acquire(long lease, String value, boolean proclaimIfDifferent) throws EtcdError, InterruptedException {
        byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
        RangeRequest owner = RangeRequest.newBuilder().setKey(ByteString.copyFrom(p))
                .setRangeEnd(ByteString.copyFrom(KeyRanges.prefixEnd(p)))
                .setSortTarget(RangeRequest.SortTarget.CREATE).setSortOrder(RangeRequest.SortOrder.ASCEND)
                .setLimit(1).build();
        TxnRequest.Builder t = TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder().setKey(b(key)).setTarget(Compare.CompareTarget.CREATE)
                        .setResult(Compare.CompareResult.EQUAL).setCreateRevision(0))
                .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(b(key))
                        .setValue(b(value)).setLease(lease)))
                .addFailure(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(b(key))));
        if (!proclaimIfDifferent) {
            t.addSuccess(RequestOp.newBuilder().setRequestRange(owner));
            t.addFailure(RequestOp.newBuilder().setRequestRange(owner));
        }
        TxnRequest req = t.build();
        TxnResponse resp = client.unary(c -> c.kvNoTimeout().txn(req));
        myRev = resp.getHeader().getRevision();
        header = resp.getHeader();
        if (!resp.getSucceeded()) {
            var kv = resp.getResponses(0).getResponseRange().getKvs(0);
            myRev = kv.getCreateRevision();
            if (proclaimIfDifferent && !kv.getValue().toStringUtf8().equals(value)) {
                client.unary(c -> c.kvNoTimeout().put(PutRequest.newBuilder().setKey(b(key)).setValue(b(value))
                        .setLease(lease).build()));
            }
        }
        if (!proclaimIfDifferent) {
            var owners = resp.getResponses(1).getResponseRange().getKvsList();
            if (owners.isEmpty() || owners.get(0).getCreateRevision() == myRev) {
                return;
            }
        }
        waitDeletes(myRev - 1);
    }

    private void waitDeletes(long maxCreateRev) throws EtcdError, InterruptedException {
        byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
        while (true) {
            RangeRequest last = RangeRequest.newBuilder().setKey(ByteString.copyFrom(p))
                    .setRangeEnd(ByteString.copyFrom(KeyRanges.prefixEnd(p)))
                    .setSortTarget(RangeRequest.SortTarget.CREATE).setSortOrder(RangeRequest.SortOrder.DESCEND)
                    .setLimit(1).setMaxCreateRevision(maxCreateRev).build();
            RangeResponse r = client.unary(c -> c.kvNoTimeout().range(last));
            if (r.getKvsCount() == 0) {
                header = r.getHeader();
                return;
            }
            waitDelete(r.getKvs(0).getKey(), r.getHeader().getRevision());
        }
    }

    private void waitDelete(ByteString k, long rev) throws InterruptedException {
        try (WatchStream w = new WatchStream(client, WatchCreateRequest.newBuilder().setKey(k)
                .setStartRevision(rev).build())) {
            while (true) {
                WatchResponse r = w.next();
                if (r == null) {
                    return;
                }
                for (Event e : r.getEventsList()) {
                    if (e.getType() == Event.EventType.DELETE) {
                        return;
                    }
                }
            }
        }
    }

    void release() throws EtcdError {
        client.unary(c -> c.kvNoTimeout().deleteRange(DeleteRangeRequest.newBuilder().setKey(b(key)).build()));
    }
}
