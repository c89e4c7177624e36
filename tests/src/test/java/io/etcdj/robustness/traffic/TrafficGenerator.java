package io.etcdj.robustness.traffic;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.CompactionRequest;
import io.etcdj.api.etcdserverpb.Compare;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.DeleteRangeResponse;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.LeaseGrantRequest;
import io.etcdj.api.etcdserverpb.LeaseGrantResponse;
import io.etcdj.api.etcdserverpb.LeaseGrpc;
import io.etcdj.api.etcdserverpb.LeaseRevokeRequest;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.PutResponse;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.etcdserverpb.TxnResponse;
import io.etcdj.robustness.linearizability.KvOperation;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Concurrent clients issuing a random mix of etcd operations on a few keys, each recorded with
 * its invocation and completion time in a {@link History}.
 *
 * <p>Checked keys ({@code key prefix + i}) get Put, linearizable Get, DeleteRange and Txn
 * compare-and-set, with values unique per write, so the register model applies. Serializable Gets,
 * lease grant / put-with-lease / revoke (on {@code lease/} keys, which revoke may delete at any
 * time, so they are only watched) and compaction add load but are not in the linearizability
 * history. A write that fails or times out has an UNKNOWN outcome; a failed read is dropped.
 *
 * <p>A client that sees a failure moves on to the next member after a short back-off; a request
 * that could not even connect is known not to have been sent and is left out of the history.
 *
 * <p>Each client is one thread with its own seeded random, so the mix replays from the seed
 * (the timing, and so the history, does not).
 */
public final class TrafficGenerator {

    /** @param opsPerSecond a cap on the rate of all clients together (0: as fast as they go) */
    public record Config(int clients, int keys, Duration duration, int maxOperations, Duration requestTimeout,
                         String prefix, long seed, int opsPerSecond) {
        public Config(int clients, int keys, Duration duration, int maxOperations, Duration requestTimeout,
                      String prefix, long seed) {
            this(clients, keys, duration, maxOperations, requestTimeout, prefix, seed, 0);
        }
    }

    private final Config config;
    private final List<ManagedChannel> channels;
    private final History history = new History();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicInteger issued = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean paused;

    /** @param channels one per member; client i uses channel i mod size */
    public TrafficGenerator(Config config, List<ManagedChannel> channels) {
        this.config = config;
        this.channels = List.copyOf(channels);
    }

    public History history() {
        return history;
    }

    /**
     * Holds every client before its next operation until {@link #resume}: for an outage during
     * which each write would only add an operation of unknown outcome, which the
     * linearizability search pays for dearly. Operations in flight complete as they will.
     */
    public void pause() {
        paused = true;
    }

    public void resume() {
        paused = false;
    }

    public void start() {
        long deadline = System.nanoTime() + config.duration().toNanos();
        for (int c = 0; c < config.clients(); c++) {
            int client = c;
            Thread t = new Thread(() -> runClient(client, deadline), "traffic-" + c);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** Stops issuing new operations and waits for the open ones (bounded by their deadline). */
    public History stopAndJoin() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) {
            t.join(config.requestTimeout().toMillis() * 3 + 1_000);
        }
        return history;
    }

    public void awaitEnd() throws InterruptedException {
        for (Thread t : threads) {
            t.join();
        }
    }

    private void runClient(int client, long deadline) {
        Random random = new Random(config.seed() * 31 + client);
        int member = client;
        int n = 0;
        long pace = config.opsPerSecond() > 0 ? TimeUnit.SECONDS.toNanos(config.clients()) / config.opsPerSecond() : 0;
        long nextStart = System.nanoTime();
        while (!stop.get() && System.nanoTime() < deadline && issued.incrementAndGet() <= config.maxOperations()) {
            while (paused && !stop.get()) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            if (pace > 0) { // rate cap: each client starts an operation at most every `pace` ns
                LockSupport.parkNanos(nextStart - System.nanoTime());
                nextStart = Math.max(nextStart + pace, System.nanoTime() - pace);
            }
            ManagedChannel channel = channels.get(member % channels.size());
            String key = config.prefix() + random.nextInt(config.keys());
            String value = "c" + client + "-" + n++;
            int dice = random.nextInt(100);
            KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            boolean ok;
            if (dice < 30) {
                ok = put(client, kv, key, value);
            } else if (dice < 55) {
                ok = get(client, kv, key);
            } else if (dice < 63) {
                ok = serializableGet(kv, key);
            } else if (dice < 73) {
                ok = delete(client, kv, key);
            } else if (dice < 90) {
                ok = cas(client, kv, key, random.nextBoolean() ? lastValue(kv, key) : null, value);
            } else if (dice < 99) {
                ok = leaseCycle(channel, client, value);
            } else {
                ok = compact(kv);
            }
            if (!ok) {
                // Like a real client: try another member after a short back-off.
                member++;
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        }
    }

    /**
     * True when the request certainly never reached a server: the channel could not even connect.
     * Anything else (deadline, reset, server error) leaves the outcome of a write unknown.
     */
    static boolean neverSent(RuntimeException e) {
        if (!(e instanceof StatusRuntimeException sre) || sre.getStatus().getCode() != Status.Code.UNAVAILABLE) {
            return false;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }

    /** Records a write that failed: unknown outcome, unless it was never sent. */
    private void failedWrite(KvOperation op, String what, RuntimeException e) {
        if (neverSent(e)) {
            history.count(what + " refused");
        } else {
            history.add(op.withUnknownOutcome());
            history.count(what + " unknown");
        }
    }

    private static ByteString bytes(String s) {
        return ByteString.copyFromUtf8(s);
    }

    private boolean put(int client, KVGrpc.KVBlockingStub kv, String key, String value) {
        int id = history.nextId();
        history.mayHaveWritten(value);
        long t0 = System.nanoTime();
        try {
            PutResponse r = kv.put(PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes(value)).build());
            long t1 = System.nanoTime();
            history.add(KvOperation.put(id, client, key, value, t0, t1));
            history.acked(new History.AckedWrite(key, value, r.getHeader().getRevision()));
            history.count("put ok");
        } catch (RuntimeException e) {
            failedWrite(KvOperation.put(id, client, key, value, t0, t0 + 1), "put", e);
            return false;
        }
        return true;
    }

    private boolean get(int client, KVGrpc.KVBlockingStub kv, String key) {
        int id = history.nextId();
        long t0 = System.nanoTime();
        try {
            RangeResponse r = kv.range(RangeRequest.newBuilder().setKey(bytes(key)).build());
            long t1 = System.nanoTime();
            String seen = r.getKvsCount() == 0 ? null : r.getKvs(0).getValue().toStringUtf8();
            history.add(KvOperation.get(id, client, key, seen, t0, t1));
            history.count("get ok");
        } catch (RuntimeException e) {
            history.count("get failed");
            return false;
        }
        return true;
    }

    private boolean serializableGet(KVGrpc.KVBlockingStub kv, String key) {
        try {
            kv.range(RangeRequest.newBuilder().setKey(bytes(key)).setSerializable(true).build());
            history.count("serializable get ok");
        } catch (RuntimeException e) {
            history.count("serializable get failed");
            return false;
        }
        return true;
    }

    private boolean delete(int client, KVGrpc.KVBlockingStub kv, String key) {
        int id = history.nextId();
        long t0 = System.nanoTime();
        try {
            DeleteRangeResponse r = kv.deleteRange(DeleteRangeRequest.newBuilder().setKey(bytes(key)).build());
            long t1 = System.nanoTime();
            history.add(KvOperation.delete(id, client, key, t0, t1));
            if (r.getDeleted() > 0) {
                history.acked(new History.AckedWrite(key, null, r.getHeader().getRevision()));
            }
            history.count("delete ok");
        } catch (RuntimeException e) {
            failedWrite(KvOperation.delete(id, client, key, t0, t0 + 1), "delete", e);
            return false;
        }
        return true;
    }

    /** A serializable peek at the key, to make compare-and-sets that may succeed. */
    private static String lastValue(KVGrpc.KVBlockingStub kv, String key) {
        try {
            RangeResponse r = kv.range(RangeRequest.newBuilder().setKey(bytes(key)).setSerializable(true).build());
            return r.getKvsCount() == 0 ? null : r.getKvs(0).getValue().toStringUtf8();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private boolean cas(int client, KVGrpc.KVBlockingStub kv, String key, String expected, String value) {
        int id = history.nextId();
        history.mayHaveWritten(value);
        Compare compare = expected == null
                ? Compare.newBuilder().setKey(bytes(key)).setTarget(Compare.CompareTarget.VERSION)
                        .setResult(Compare.CompareResult.EQUAL).setVersion(0).build()
                : Compare.newBuilder().setKey(bytes(key)).setTarget(Compare.CompareTarget.VALUE)
                        .setResult(Compare.CompareResult.EQUAL).setValue(bytes(expected)).build();
        TxnRequest txn = TxnRequest.newBuilder().addCompare(compare)
                .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes(value))))
                .build();
        long t0 = System.nanoTime();
        try {
            TxnResponse r = kv.txn(txn);
            long t1 = System.nanoTime();
            history.add(KvOperation.cas(id, client, key, expected, value, r.getSucceeded(), t0, t1));
            if (r.getSucceeded()) {
                history.acked(new History.AckedWrite(key, value, r.getHeader().getRevision()));
            }
            history.count(r.getSucceeded() ? "cas succeeded" : "cas failed");
        } catch (RuntimeException e) {
            failedWrite(KvOperation.cas(id, client, key, expected, value, false, t0, t0 + 1), "cas", e);
            return false;
        }
        return true;
    }

    private boolean leaseCycle(ManagedChannel channel, int client, String value) {
        long timeout = config.requestTimeout().toMillis();
        try {
            LeaseGrpc.LeaseBlockingStub lease = LeaseGrpc.newBlockingStub(channel);
            LeaseGrantResponse g = lease.withDeadlineAfter(timeout, TimeUnit.MILLISECONDS)
                    .leaseGrant(LeaseGrantRequest.newBuilder().setTTL(5).build());
            String key = "lease/" + config.prefix() + client;
            history.mayHaveWritten(value);
            PutResponse p = KVGrpc.newBlockingStub(channel).withDeadlineAfter(timeout, TimeUnit.MILLISECONDS)
                    .put(PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes(value)).setLease(g.getID()).build());
            history.acked(new History.AckedWrite(key, value, p.getHeader().getRevision()));
            lease.withDeadlineAfter(timeout, TimeUnit.MILLISECONDS)
                    .leaseRevoke(LeaseRevokeRequest.newBuilder().setID(g.getID()).build());
            history.count("lease cycle ok");
        } catch (RuntimeException e) {
            history.count("lease cycle failed");
            return false;
        }
        return true;
    }

    private boolean compact(KVGrpc.KVBlockingStub kv) {
        try {
            RangeResponse r = kv.range(RangeRequest.newBuilder().setKey(bytes("compaction-probe")).setSerializable(true).build());
            long rev = r.getHeader().getRevision() - 1_000;   // far enough back for a resuming watch
            if (rev > 1) {
                kv.compact(CompactionRequest.newBuilder().setRevision(rev).build());
            }
            history.count("compact ok");
        } catch (RuntimeException e) {
            history.count("compact failed");
            return false;
        }
        return true;
    }
}
