package io.etcdj.etcdctl.command;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.api.mvccpb.Event;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.etcdctl.client.EtcdClient;
import io.etcdj.etcdctl.client.EtcdError;
import io.etcdj.etcdctl.client.WatchStream;
import io.etcdj.etcdctl.print.KeyRanges;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * clientv3/concurrency's Election.Observe, as {@code etcdctl elect -l} uses it: reports the leader's
 * key (the oldest key under NAME/) and then every new value the leader proclaims, until the leader's
 * key is deleted, when it looks for the next leader. Each report is a get response:
 * <ul>
 * <li>a leader found by the get: that response's header and its first key, no count;</li>
 * <li>a leader that appeared while none existed: the watch's header with the revision of the put, no count;</li>
 * <li>a new value: the last get response (count and more included) with the watch's header and the new key.</li>
 * </ul>
 * {@link #run} returns only when observing fails (the stream or a request ended): "observer lost".
 */
final class ElectionObserver {
    private final EtcdClient client;
    private final ByteString prefix;
    private final ByteString prefixEnd;
    private final Consumer<RangeResponse> report;

    ElectionObserver(EtcdClient client, String election, Consumer<RangeResponse> report) {
        this.client = client;
        byte[] p = (election + "/").getBytes(StandardCharsets.UTF_8);
        this.prefix = ByteString.copyFrom(p);
        this.prefixEnd = ByteString.copyFrom(KeyRanges.prefixEnd(p));
        this.report = report;
    }

    void run() throws InterruptedException {
        while (true) {
            RangeResponse oldest;
            try {
                oldest = client.unary(c -> c.kvNoTimeout().range(RangeRequest.newBuilder().setKey(prefix)
                        .setRangeEnd(prefixEnd).setSortTarget(RangeRequest.SortTarget.CREATE)
                        .setSortOrder(RangeRequest.SortOrder.ASCEND).setLimit(1).build()));
            } catch (EtcdError e) {
                return;
            }
            RangeResponse leader;
            if (oldest.getKvsCount() == 0) {
                leader = awaitFirstPut(oldest.getHeader().getRevision());
                if (leader == null) {
                    return;
                }
            } else {
                leader = RangeResponse.newBuilder().setHeader(oldest.getHeader()).addKvs(oldest.getKvs(0)).build();
            }
            report.accept(leader);
            KeyValue kv = leader.getKvs(0);
            if (!followUntilDeleted(kv.getKey(), leader.getHeader().getRevision() + 1, oldest)) {
                return;
            }
        }
    }

    /** Waits for the first put under the prefix from {@code rev}; null if the watch ends first. */
    private RangeResponse awaitFirstPut(long rev) throws InterruptedException {
        try (WatchStream w = new WatchStream(client, WatchCreateRequest.newBuilder().setKey(prefix)
                .setRangeEnd(prefixEnd).setStartRevision(rev).build())) {
            while (true) {
                WatchResponse r = w.next();
                if (r == null || r.getCanceled() || r.getCompactRevision() != 0) {
                    return null;
                }
                for (Event ev : r.getEventsList()) {
                    if (ev.getType() == Event.EventType.PUT) {
                        // a batch may hold several puts: the header names this one's revision
                        return RangeResponse.newBuilder()
                                .setHeader(r.getHeader().toBuilder().setRevision(ev.getKv().getModRevision()))
                                .addKvs(ev.getKv()).build();
                    }
                }
            }
        }
    }

    /** Reports each new value of the leader's key; true once it is deleted, false if the watch ends. */
    private boolean followUntilDeleted(ByteString key, long fromRev, RangeResponse last) throws InterruptedException {
        try (WatchStream w = new WatchStream(client, WatchCreateRequest.newBuilder().setKey(key)
                .setStartRevision(fromRev).build())) {
            while (true) {
                WatchResponse r = w.next();
                if (r == null || r.getCanceled()) {
                    return false;
                }
                for (Event ev : r.getEventsList()) {
                    if (ev.getType() == Event.EventType.DELETE) {
                        return true;
                    }
                    report.accept(last.toBuilder().setHeader(r.getHeader()).clearKvs().addKvs(ev.getKv()).build());
                }
            }
        }
    }
}
