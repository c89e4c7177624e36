package io.etcdj.robustness.lease;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.robustness.cluster.LocalCluster;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * When keys attached to leases disappeared: every 100 ms, each running member is asked (a
 * serializable read, answered also without a leader) for each key not yet seen gone; a key counts
 * as gone when a member that has applied the key's put (its revision is at least the put's) no
 * longer has it. Nothing else deletes these keys, so that is the lease's revocation, committed.
 * The time recorded is when it was first seen — after it happened, by at most a poll.
 */
public final class KeyRemovalLog implements AutoCloseable {

    private final LocalCluster cluster;
    private final Map<String, Long> putRevisions = new LinkedHashMap<>();
    private final Map<String, Long> goneSeen = new LinkedHashMap<>(); // key -> System.nanoTime()
    private final Thread thread;
    private volatile boolean stop;

    public KeyRemovalLog(LocalCluster cluster) {
        this.cluster = cluster;
        this.thread = new Thread(this::run, "key-removals");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Starts looking for {@code key}, put at {@code revision}. */
    public synchronized void follow(String key, long revision) {
        putRevisions.put(key, revision);
    }

    /** When {@code key} was first seen gone, if it was. */
    public synchronized OptionalLong goneSeen(String key) {
        Long t = goneSeen.get(key);
        return t == null ? OptionalLong.empty() : OptionalLong.of(t);
    }

    private synchronized Map<String, Long> pending() {
        Map<String, Long> out = new LinkedHashMap<>(putRevisions);
        out.keySet().removeAll(goneSeen.keySet());
        return out;
    }

    private void run() {
        while (!stop) {
            for (Map.Entry<String, Long> k : pending().entrySet()) {
                for (LocalCluster.Node n : cluster.nodes()) {
                    if (n.running() && gone(n, k.getKey(), k.getValue())) {
                        synchronized (this) {
                            goneSeen.put(k.getKey(), System.nanoTime());
                        }
                        break;
                    }
                }
            }
            try {
                Thread.sleep(100); // polling period, not a synchronisation
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static boolean gone(LocalCluster.Node n, String key, long putRevision) {
        try {
            RangeResponse r = KVGrpc.newBlockingStub(n.channel()).withDeadlineAfter(1, TimeUnit.SECONDS)
                    .range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8(key)).setSerializable(true).build());
            return r.getHeader().getRevision() >= putRevision && r.getKvsCount() == 0;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.join(5_000);
    }
}
